//! The server's databases (`GET /databases`): one list, read when the
//! server address is known or changes, provided once and shared by every
//! screen (read again after a restore has created one).

use super::connection::Connection;
use crate::api::{wire3x::DatabaseListEntry, ApiError};
use leptos::prelude::*;

/// The list as read; `None` inside until the address is known.
pub type DatabaseList = LocalResource<Option<Result<Vec<DatabaseListEntry>, ApiError>>>;

/// The shared list and its names.
#[derive(Clone, Copy)]
pub struct Databases {
    pub list: DatabaseList,
    /// The names, once read.
    pub names: Memo<Option<Vec<String>>>,
}

impl Databases {
    /// Reads the list again (a restore created a database).
    pub fn refetch(&self) {
        self.list.refetch();
    }

    /// The server's database named exactly `name` (trimmed), once the list
    /// has it: one read of the list, not one per keystroke.
    pub fn matching(&self, name: Signal<String>) -> Memo<Option<String>> {
        let names = self.names;
        Memo::new(move |_| {
            let wanted = name.with(|n| n.trim().to_string());
            names.with(|list| {
                list.as_ref()
                    .and_then(|list| list.iter().find(|n| **n == wanted).cloned())
            })
        })
    }

    /// Why the list could not be read, if it could not (tracked).
    pub fn error(&self) -> Option<ApiError> {
        self.list.with(|l| match l {
            Some(Some(Err(e))) => Some(e.clone()),
            _ => None,
        })
    }

    /// How many databases the list holds, once read (tracked).
    pub fn count(&self) -> Option<usize> {
        self.names.with(|n| n.as_ref().map(Vec::len))
    }
}

/// Creates the list for the server in use and provides it as context.
pub fn provide_databases(conn: Connection) -> Databases {
    let list: DatabaseList = LocalResource::new(move || {
        let client = conn.client();
        async move {
            match client {
                Some(c) => Some(c.list_databases().await),
                None => None,
            }
        }
    });
    let names = Memo::new(move |_| {
        list.with(|l| match l {
            Some(Some(Ok(list))) => Some(list.iter().map(|d| d.name.clone()).collect::<Vec<_>>()),
            _ => None,
        })
    });
    let databases = Databases { list, names };
    provide_context(databases);
    databases
}

/// The shared list (provided by the shell).
pub fn use_databases() -> Databases {
    expect_context::<Databases>()
}
