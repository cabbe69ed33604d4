//! The restore drill ("Verify by restoring", issue 17): restore a backup
//! into a scratch database, compare it with its source, delete it. The
//! pure parts (the scratch name, the comparison, the report, what this
//! browser keeps) are host-tested; `run` is the thin browser driver.

pub mod compare;
pub mod kept;
pub mod name;
pub mod report;
#[cfg(target_arch = "wasm32")]
pub mod run;
pub mod stream;
pub mod v4;
#[cfg(target_arch = "wasm32")]
pub mod v4_io;
