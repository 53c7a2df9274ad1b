//! Applications: a candidate applies once to an open job; the employer moves it through its
//! pipeline; every transition is kept and emailed to the other side.

pub mod model;
pub mod routes;
pub mod service;
pub mod status;
pub mod store;
