//! A class's submissions: finding them in a directory ([`discover`]) and splitting them across
//! CI jobs ([`shard`]).

pub(crate) mod discover;
pub(crate) mod shard;

pub use discover::{Discovery, Found, Problem, discover};
pub use shard::Shard;
