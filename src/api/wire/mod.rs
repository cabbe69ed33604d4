//! Serde wire types of the RavenDB protocols: one module per generation
//! ([`v3`]: 3.0 and 3.5, [`v4`]: 4.x and later), the types both use
//! ([`common`]), dates ([`time`]) and the lenient field readers every
//! module shares.

pub mod common;
pub(crate) mod lenient;
pub mod time;
pub mod v3;
pub mod v4;

#[cfg(test)]
mod tests;
