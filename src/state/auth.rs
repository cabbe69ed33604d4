//! Who the dashboard is signed in as on a secured 3.x server: the API key's
//! name (remembered in this browser: it is not a secret) and whether a
//! sign-in is in use; the secret and the token stay inside
//! `auth::session`, in memory only (docs/protocol/ravendb-3x.md §11.3).
//! It also notes the last refusal that signing in could fix, so the header
//! offers the sign-in form.

use super::connection::{connected_generation, Connection};
use super::databases::Databases;
use crate::api::ApiError;
use crate::auth::{oauth3::ApiKey, refusal::sign_in_may_fix, session};
use crate::storage;
use leptos::prelude::*;

/// The shared sign-in state; provided as context.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The key name to fill in: the last one that signed in here.
    pub remembered_name: RwSignal<String>,
    /// Signed in: the key's name and the server root it signed in to.
    pub signed_in: RwSignal<Option<(String, String)>>,
    /// The last 401/403/412 refusal of a request to the server in use
    /// (cleared by signing in or out); see [`Auth::offer`].
    pub refused: RwSignal<Option<ApiError>>,
    connection: Connection,
    databases: Databases,
}

impl Auth {
    /// Signs in to the server in use with `key`. On success the key name
    /// is remembered and what the screens read is read again, signed in.
    pub async fn sign_in(self, key: ApiKey) -> Result<String, ApiError> {
        let Some((base, _)) = self.connection.server_url_untracked() else {
            return Err(ApiError::MalformedBody {
                detail: "the server address is not known yet".into(),
            });
        };
        let timeout = untrack(|| self.connection.timeout_ms());
        let name = key.name().to_string();
        let result = session::sign_in(&base, key, timeout).await;
        let _ = self.signed_in.try_set(session::signed_in());
        result?;
        storage::set(storage::keys::API_KEY_NAME, &name);
        let _ = self.remembered_name.try_set(name.clone());
        let _ = self.refused.try_set(None);
        self.reread();
        Ok(name)
    }

    /// The last refusal, when signing in may fix it on this server
    /// (tracked): the header offers the sign-in form for it.
    pub fn offer(self) -> Option<ApiError> {
        let generation = connected_generation();
        self.refused
            .get()
            .filter(|e| sign_in_may_fix(e, generation))
    }

    /// Forgets the secret and the token; the key's name stays remembered.
    pub fn sign_out(self) {
        session::sign_out();
        self.signed_in.set(None);
        self.refused.set(None);
        self.reread();
    }

    fn reread(self) {
        self.connection.recheck.update(|n| *n += 1);
        self.databases.refetch();
    }
}

/// Creates the sign-in state and provides it as context.
pub fn provide_auth(connection: Connection, databases: Databases) -> Auth {
    let auth = Auth {
        remembered_name: RwSignal::new(
            storage::get(storage::keys::API_KEY_NAME).unwrap_or_default(),
        ),
        signed_in: RwSignal::new(session::signed_in()),
        refused: RwSignal::new(None),
        connection,
        databases,
    };
    provide_context(auth);
    crate::api::http::observe_refusals(move |url, error| {
        let ours = connection
            .user_setting
            .try_with_untracked(|_| connection.server_url_untracked())
            .flatten()
            .is_some_and(|(base, _)| url.starts_with(&base));
        if ours {
            let _ = auth.refused.try_set(Some(error.clone()));
        }
    });
    // A new server address: the sign-in was for the old one.
    Effect::new(move |previous: Option<Option<String>>| {
        let now = connection.server_url().map(|(u, _)| u);
        if previous.is_some_and(|p| p != now) {
            auth.refused.set(None);
            if session::signed_in().is_some_and(|(_, base)| Some(base) != now) {
                auth.sign_out();
            }
        }
        now
    });
    auth
}

/// The shared sign-in state (provided by the shell).
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
