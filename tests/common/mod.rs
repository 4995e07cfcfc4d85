//! Shared test helpers.
#![allow(dead_code)]
pub mod card;
pub mod saas;
