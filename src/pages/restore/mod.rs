//! The Restore screen, for the connected server's protocol generation: a
//! backup folder on the server restored into a new database (3.x: or file
//! system), validated, confirmed, reviewed, started once and followed to
//! its true end.

mod v3;
mod v4;

pub(super) use v3::RestoreState;
pub(super) use v4::Restore4State;

use crate::state::{
    connection::is_v4,
    databases::use_databases,
    operations::{post_and_follow, Follower, StartFailure, StartPost, Starter},
};
use leptos::prelude::*;

/// The start of a restore, 3.x and 4.x alike: the POST, then the restore
/// followed; the list of databases is read again now (the name is taken)
/// and when the restore has created the database, so every screen knows it.
fn restore_starter(follower: Follower) -> Starter<StartPost> {
    let databases = use_databases();
    Starter::new(move |start: &StartPost| {
        let start = start.clone();
        async move {
            let running = post_and_follow(follower, start, None).await?;
            databases.refetch();
            follower.on_end(running.watch, move |outcome| {
                if outcome.is_success() {
                    databases.refetch();
                }
            });
            Ok::<_, StartFailure>(running)
        }
    })
}

/// The Restore screen for the connected server's protocol generation.
#[component]
pub fn RestorePage() -> impl IntoView {
    let v4 = Memo::new(move |_| is_v4());
    move || {
        if v4.get() {
            view! { <v4::Restore4Page /> }.into_any()
        } else {
            view! { <v3::Restore3Page /> }.into_any()
        }
    }
}
