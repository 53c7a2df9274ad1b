//! The web pages' tests (see browser.rs).
