//! jobs, through HTTP.
