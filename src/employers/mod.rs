//! Employers. So far: who belongs to which employer (the tables exist; the employer, job and
//! candidate endpoints come with issue 4).

pub mod membership;
pub mod registration;
