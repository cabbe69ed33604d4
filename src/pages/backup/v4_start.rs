//! The 4.x+ Backup screen's state and its start: which endpoint starts the
//! backup (a task run now, the one-time endpoint on 4.2+, or a temporary
//! task on 4.0/4.1), what to do when the start's answer is lost, and what
//! is said and cleaned up when the backup ends.

use crate::{
    api::{
        client::Client,
        poll::Watched,
        version::Generation,
        wire4x::{backup_folder, PeriodicBackupConfiguration},
        ApiError,
    },
    forms::{
        backup4::{has_one_time_endpoint, one_time_body, temporary_task_name},
        fingerprint,
    },
    state::operations::{
        lost::is_lost_answer,
        node::{route_to_node, NodeRoute},
        Follower, LostStart, StartFailure, Starter,
    },
};
use leptos::prelude::*;

/// How a 4.x backup is started.
#[derive(Clone)]
pub enum How4 {
    /// Run one of the database's tasks now.
    Now {
        task_id: i64,
        task_name: String,
        full: bool,
    },
    /// A one-time backup to a folder.
    OneTime { folder: String },
}

/// One click on a start button: everything the start needs.
#[derive(Clone)]
pub struct Start4 {
    pub(super) client: Client,
    pub(super) generation: Generation,
    pub(super) database: String,
    pub(super) how: How4,
}

/// What to do once a backup has ended: say where it is, and remove the
/// temporary task.
#[derive(Clone)]
pub(super) struct Ended4 {
    /// The server in use (the database's tasks and their status).
    client: Client,
    /// The node that ran the operation, where its state is read; `None`
    /// when it cannot be reached from here.
    node: Option<Client>,
    database: String,
    started: Started4,
    /// When the start was sent (the remembered entry's time is after it).
    sent_ms: f64,
}

/// What a started 4.x backup is: its task (0 for a one-time backup), its
/// database-level operation, whether the task is a temporary one, the
/// node that runs it when the server said, and a one-time backup's folder.
#[derive(Clone, Debug, PartialEq)]
struct Started4 {
    task_id: i64,
    operation_id: i64,
    temporary: bool,
    node_tag: Option<String>,
    one_time_folder: Option<String>,
}

/// The screen's state, at the app level (memory only), made when the body
/// is first shown (src/pages/mod.rs, `screen_state`); the database name is
/// the frame's.
#[derive(Clone, Copy)]
pub struct Backup4State {
    pub folder: RwSignal<String>,
    pub consent: RwSignal<bool>,
    pub tried: RwSignal<bool>,
    /// The start request and the backup it started (or the refusal).
    pub start: Starter<Start4>,
    /// Where the backup went and what became of the temporary task.
    pub(super) after: Action<Ended4, AfterBackup>,
}

impl Backup4State {
    pub fn new() -> Self {
        let follower = Follower::new();
        let after = Action::new_local(|ended: &Ended4| after_backup(ended.clone()));
        let start = Starter::new(move |input: &Start4| {
            let Start4 {
                client,
                generation,
                database,
                how,
            } = input.clone();
            async move {
                let started_ms = js_sys::Date::now();
                let (started, lost_answer) = start4(&client, generation, &database, how).await?;
                let op = started.operation_id;
                after.clear();
                // Followed on the node the server says runs it (4.2+); its
                // final state is read there too.
                let route = route_to_node(&client, generation, started.node_tag.as_deref()).await;
                let node = node_client(&client, &route);
                let mut running = follower.remember_and_follow_routed(
                    client.clone(),
                    generation,
                    Watched::DatabaseBackup {
                        database: Some(database.clone()),
                    },
                    Some(op),
                    route,
                    started_ms,
                    None,
                );
                running.form_key = Some(fingerprint(&Some(database.clone())));
                // The answer was lost but the run was found on the server.
                running.lost_answer = lost_answer;
                // When it ends: say where the backup is, and remove a temporary task.
                follower.on_end(running.watch, move |_| {
                    after.dispatch_local(Ended4 {
                        client,
                        node,
                        database,
                        started,
                        sent_ms: started_ms,
                    });
                });
                Ok(running)
            }
        });
        Backup4State {
            folder: RwSignal::new(String::new()),
            consent: RwSignal::new(false),
            tried: RwSignal::new(false),
            start,
            after,
        }
    }
}

impl Default for Backup4State {
    fn default() -> Self {
        Self::new()
    }
}

/// The client of the node `route` polls: the server in use, another
/// node, or none (docs/protocol/ravendb-4x.md#operation-ids).
fn node_client(client: &Client, route: &NodeRoute) -> Option<Client> {
    match route.polled_at(client.base())? {
        url if url == client.base() => Some(client.clone()),
        url => Some(client.at(url)),
    }
}

/// A start of a 4.x backup whose answer was lost: unknown whether it
/// started (this dashboard does not look for it on 4.x), with `note`.
fn lost_start4(error: ApiError, database: &str, note: Option<String>) -> StartFailure {
    StartFailure {
        error,
        lost: Some(LostStart {
            what: Watched::DatabaseBackup {
                database: Some(database.to_string()),
            },
            looked: None,
            looked_ms: js_sys::Date::now(),
            search: None,
            note,
        }),
    }
}

/// After a start whose answer was lost: looks once among the database's
/// operations for a backup started since `sent_ms` (of the task `name`
/// when given; docs/protocol/ravendb-4x.md#operations-list).
async fn look4(
    client: &Client,
    database: &str,
    name: Option<&str>,
    sent_ms: f64,
) -> Result<Option<i64>, ApiError> {
    let skew = f64::from(crate::api::poll::PollConfig::default().clock_skew_ms);
    let ops = client.operations4(database).await?;
    Ok(ops.backup_started_since(name, sent_ms - skew))
}

/// What to say when a lost start was looked for and not found.
fn not_found_note(looked: Result<Option<i64>, ApiError>, name: Option<&str>) -> String {
    let what = name.map_or("a backup".to_string(), |n| format!("a run of “{n}”"));
    match looked {
        Err(e) => format!(
            "The dashboard could not look among the database's operations ({}). Check the server before starting it again.",
            e.user_message()
        ),
        _ => format!(
            "The dashboard looked among the database's operations and found no {what} started since; it may still appear. Check the server before starting it again."
        ),
    }
}

/// Starts the backup: the one-time endpoint where the server has it
/// (4.2+, answering `OperationNodeTag`), else a task run now
/// (docs/protocol/ravendb-4x.md#one-time-backup). When the answer is lost
/// the backup may be running: nothing is deleted, and the database's
/// operations are looked at once; a run found is followed (with the lost
/// answer, for the panel to say so).
async fn start4(
    client: &Client,
    generation: Generation,
    database: &str,
    how: How4,
) -> Result<(Started4, Option<ApiError>), StartFailure> {
    let sent_ms = js_sys::Date::now();
    match how {
        How4::Now {
            task_id,
            task_name,
            full,
        } => {
            let started = |operation_id| Started4 {
                task_id,
                operation_id,
                temporary: false,
                node_tag: None,
                one_time_folder: None,
            };
            match client.backup_now4(database, task_id, full).await {
                Ok(op) => Ok((started(op), None)),
                Err(e) if is_lost_answer(&e) => {
                    match look4(client, database, Some(&task_name), sent_ms).await {
                        Ok(Some(op)) => Ok((started(op), Some(e))),
                        looked => Err(lost_start4(
                            e,
                            database,
                            Some(not_found_note(looked, Some(&task_name))),
                        )),
                    }
                }
                Err(e) => Err(e.into()),
            }
        }
        How4::OneTime { folder } if has_one_time_endpoint(generation) => {
            let started = |operation_id, node_tag| Started4 {
                task_id: 0,
                operation_id,
                temporary: false,
                node_tag,
                one_time_folder: Some(folder.clone()),
            };
            let lost = match client
                .one_time_backup4(database, &one_time_body(&folder))
                .await
            {
                Ok(answer) if answer.operation_id > 0 => {
                    // Only `OperationNodeTag`: the answering node's own tag
                    // (state::operations::node).
                    let node = answer
                        .operation_node_tag
                        .as_deref()
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string);
                    return Ok((started(answer.operation_id, node), None));
                }
                Ok(_) => ApiError::MalformedBody {
                    detail: "the server gave no operation id".into(),
                },
                Err(e) if is_lost_answer(&e) => e,
                Err(e) => return Err(e.into()),
            };
            match look4(client, database, None, sent_ms).await {
                Ok(Some(op)) => Ok((started(op, None), Some(lost))),
                looked => Err(lost_start4(
                    lost,
                    database,
                    Some(not_found_note(looked, None)),
                )),
            }
        }
        How4::OneTime { folder } => {
            let now = String::from(js_sys::Date::new_0().to_iso_string());
            let name = temporary_task_name(&now);
            let config = PeriodicBackupConfiguration::temporary_local(name.clone(), folder);
            let created = client.create_backup_task4(database, &config).await?;
            let started = |operation_id| Started4 {
                task_id: created.task_id,
                operation_id,
                temporary: true,
                node_tag: None,
                one_time_folder: None,
            };
            match client.backup_now4(database, created.task_id, true).await {
                Ok(op) => Ok((started(op), None)),
                // The backup may be running: its task is not deleted. A run
                // found is followed, and the task removed once it has ended.
                Err(e) if is_lost_answer(&e) => {
                    match look4(client, database, Some(&name), sent_ms).await {
                        Ok(Some(op)) => Ok((started(op), Some(e))),
                        looked => Err(lost_start4(
                            e,
                            database,
                            Some(format!(
                                "The temporary backup task “{name}” (id {}) was kept, because the backup may be running. \
                                 Remove it in RavenDB Studio (Tasks) once no backup of {database} runs. {}",
                                created.task_id,
                                not_found_note(looked, Some(&name))
                            )),
                        )),
                    }
                }
                Err(e) => {
                    // Do not leave the task behind when it could not run.
                    let _ = client.delete_backup_task4(database, created.task_id).await;
                    Err(e.into())
                }
            }
        }
    }
}

/// What the screen says once a backup has ended.
#[derive(Clone, Debug, Default)]
pub(super) struct AfterBackup {
    /// Where the backup went, and what became of a temporary task.
    pub notes: Vec<String>,
    /// The backup's own folder on the server, when the server said it
    /// (what "Verify by restoring" restores from).
    pub folder: Option<String>,
    /// The database backed up.
    pub database: String,
}

/// Where the backup went, and the removal of a temporary task.
async fn after_backup(ended: Ended4) -> AfterBackup {
    let Ended4 {
        client,
        node,
        database,
        started,
        sent_ms,
    } = ended;
    let Started4 {
        task_id,
        operation_id,
        temporary,
        node_tag,
        one_time_folder,
    } = started;
    let mut notes = Vec::new();
    let mut backup_dir = None;
    if let Some(node) = node_tag {
        notes.push(format!("RavenDB ran the backup on node {node}."));
    }
    match one_time_folder {
        // A one-time backup (4.2+): its result names the folder it wrote,
        // relative to the folder asked for (docs/protocol/ravendb-4x.md#backup-result).
        // Read on the node that ran it: elsewhere the id names another
        // operation or none.
        Some(folder) => {
            let state = match &node {
                Some(node) => Some(node.operation_state4(Some(&database), operation_id).await),
                None => None,
            };
            if let Some(dir) = state
                .as_ref()
                .and_then(|s| s.as_ref().ok())
                .and_then(|s| s.result.as_ref())
                .and_then(|r| r.backup_directory())
            {
                let dir = backup_folder(&folder, dir);
                notes.push(format!("The backup folder on the server is {dir}"));
                backup_dir = Some(dir);
            }
        }
        // A task's run: the task's status holds the folder, absolute
        // (docs/protocol/ravendb-4x.md#periodic-backup-status).
        None => {
            if let Ok(status) = client.backup_status4(&database, task_id).await {
                if let Some(dir) = status.status.as_ref().and_then(|s| s.backup_directory()) {
                    notes.push(format!("The backup folder on the server is {dir}"));
                    backup_dir = Some(dir.to_string());
                }
            }
        }
    }
    if temporary {
        notes.push(match client.delete_backup_task4(&database, task_id).await {
            Ok(()) => format!("The temporary backup task (id {task_id}) was removed from the server."),
            Err(e) => format!(
                "The temporary backup task (id {task_id}) could not be removed: {}. Remove it in the server's Studio.",
                e.user_message()
            ),
        });
    }
    // Operations offers "Verify by restoring" of it too.
    if let Some(dir) = &backup_dir {
        let what = Watched::DatabaseBackup {
            database: Some(database.clone()),
        };
        crate::state::operations::store::set_folder(client.base(), &what, sent_ms, dir);
    }
    AfterBackup {
        notes,
        folder: backup_dir,
        database,
    }
}
