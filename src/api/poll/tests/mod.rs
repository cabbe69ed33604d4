//! The tracker's tests, driven through the [`sim::Sim`] fake clock.

mod duration;
mod identity;
mod invariants;
mod log;
mod restore;
mod sim;
mod timing;
mod v30;
mod v35;
mod v4;
