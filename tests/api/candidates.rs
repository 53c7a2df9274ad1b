//! candidates, through HTTP.
