//! employers, through HTTP.
