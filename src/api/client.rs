//! The one typed client: one async function per server endpoint. Screens
//! call these and never build URLs or parse bodies themselves.

use super::version::{Generation, KillAnswer, KillRoute};
use super::{
    error::ApiError,
    http::{self, RawResponse},
    poll::{PollRequest, PollResponse},
    wire::{
        common::{parse_database_list, BuildVersion, DatabaseListEntry},
        v3::{
            BackupStatus, DatabaseDocument, OperationIdResponse, OperationState,
            OperationsListItem, RestoreInProgress, RestoreStatus,
        },
        v4 as wire4x,
    },
};
use crate::url::percent_encode;
use gloo_net::http::Method;
use serde_json::Value;

/// What the server answered to a request that starts an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    /// 3.0 backups answer 201 with no body and no id (§3.5); everything
    /// else answers `{"OperationId": n}`.
    pub operation_id: Option<i64>,
    pub status: u16,
    /// 4.2+ one-time backups and restores: the cluster node that runs it
    /// (`OperationNodeTag`, docs/protocol/ravendb-4x.md#operation-ids).
    pub node_tag: Option<String>,
}

/// What the connection check learned about the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerInfo {
    pub product_version: String,
    pub build_version: String,
    pub generation: super::version::Generation,
}

impl ServerInfo {
    /// "RavenDB 3.5" and the like.
    pub fn label(&self) -> String {
        self.generation.label()
    }
}

/// Everything a Cancel button needs: the client, the operation and its
/// kill route.
#[derive(Debug, Clone, PartialEq)]
pub struct KillTarget {
    pub client: Client,
    pub id: i64,
    pub route: KillRoute,
}

impl KillTarget {
    /// The kill target of operation `id` (when known) of `what`, where the
    /// server can cancel it.
    pub fn new(
        client: &Client,
        generation: Generation,
        what: &super::poll::Watched,
        id: Option<i64>,
    ) -> Option<KillTarget> {
        Some(KillTarget {
            client: client.clone(),
            id: id?,
            route: generation.kill_route(what)?,
        })
    }
}

/// A client bound to one server root URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    base: String,
    timeout_ms: u32,
}

impl Client {
    pub fn new(base: impl Into<String>, timeout_ms: u32) -> Self {
        let base: String = base.into();
        Client {
            base: base.trim_end_matches('/').to_string(),
            timeout_ms,
        }
    }

    /// The server root URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The same client for another server root URL (another cluster node).
    pub fn at(&self, base: &str) -> Client {
        Client::new(base, self.timeout_ms)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    async fn get(&self, path: &str) -> Result<RawResponse, ApiError> {
        http::send(Method::GET, &self.url(path), None, self.timeout_ms).await
    }

    /// A GET whose 404 means "no such document yet" rather than an error.
    async fn get_optional(&self, path: &str) -> Result<Option<RawResponse>, ApiError> {
        match self.get(path).await {
            Ok(raw) if raw.body.trim().is_empty() => Ok(None),
            Ok(raw) => Ok(Some(raw)),
            Err(ApiError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// POSTs a planned request (path with query, JSON body) that starts an
    /// operation: a backup or a restore.
    pub async fn start_operation(&self, path: &str, body: &Value) -> Result<Started, ApiError> {
        let text = serde_json::to_string(body).map_err(|e| ApiError::MalformedBody {
            detail: format!("the request body could not be written: {e}"),
        })?;
        let raw = http::send(Method::POST, &self.url(path), Some(text), self.timeout_ms).await?;
        let (operation_id, node_tag) = if raw.body.trim().is_empty() {
            (None, None)
        } else {
            let id = raw.json::<OperationIdResponse>()?;
            let node = raw
                .json::<Value>()
                .ok()
                .and_then(|v| v.get("OperationNodeTag")?.as_str().map(str::to_string));
            (Some(id.operation_id), node)
        };
        Ok(Started {
            operation_id,
            status: raw.status,
            node_tag,
        })
    }

    /// `GET /databases` (E11): database names (and details where given).
    pub async fn list_databases(&self) -> Result<Vec<DatabaseListEntry>, ApiError> {
        let raw = self.get("/databases?pageSize=1024").await?;
        Ok(parse_database_list(raw.json::<Value>()?))
    }

    /// `GET /admin/databases/{db}` (E12): the stored document with its
    /// secured settings decrypted, and its ETag when the browser may read it.
    pub async fn database_document(
        &self,
        name: &str,
    ) -> Result<(DatabaseDocument, Option<String>), ApiError> {
        let raw = self
            .get(&format!("/admin/databases/{}", percent_encode(name)))
            .await?;
        Ok((raw.json()?, raw.etag.clone()))
    }

    /// `Raven/Backup/Status` of a database (`None` = the system database),
    /// E3; `None` when there is none yet.
    pub async fn backup_status(
        &self,
        database: Option<&str>,
    ) -> Result<Option<BackupStatus>, ApiError> {
        let path = match database {
            Some(db) => format!("/databases/{}/docs/Raven/Backup/Status", percent_encode(db)),
            None => "/docs/Raven/Backup/Status".to_string(),
        };
        self.get_optional(&path)
            .await?
            .map(|r| r.json())
            .transpose()
    }

    /// A file system's backup status (E18, a configuration item).
    pub async fn fs_backup_status(&self, fs: &str) -> Result<Option<BackupStatus>, ApiError> {
        let path = format!("/fs/{}/config?name=Raven/Backup/Status", percent_encode(fs));
        self.get_optional(&path)
            .await?
            .map(|r| r.json())
            .transpose()
    }

    /// `Raven/Restore/Status` (E5), or a file system's restore status (E20).
    pub async fn restore_status(
        &self,
        fs: Option<&str>,
    ) -> Result<Option<RestoreStatus>, ApiError> {
        let path = match fs {
            None => "/docs/Raven/Restore/Status".to_string(),
            Some(fs) => format!(
                "/docs/Raven/FileSystem/Restore/Status/{}",
                percent_encode(fs)
            ),
        };
        match self.get_optional(&path).await? {
            None => Ok(None),
            Some(raw) => RestoreStatus::from_value(&raw.json::<Value>()?)
                .map(Some)
                .map_err(|detail| ApiError::MalformedBody { detail }),
        }
    }

    /// `Raven/Restore/InProgress` (E6): which restore holds the lock.
    pub async fn restore_in_progress(&self) -> Result<Option<RestoreInProgress>, ApiError> {
        self.get_optional("/docs/Raven/Restore/InProgress")
            .await?
            .map(|r| r.json())
            .transpose()
    }

    /// `GET /operation/status?id=` at the server root (E7; backups in 3.5
    /// and all restores register in the system database, §7.1).
    pub async fn operation_status(&self, id: i64) -> Result<OperationState, ApiError> {
        self.get(&format!("/operation/status?id={id}"))
            .await?
            .json()
    }

    /// `GET /operation/kill?id=` (E8; a GET). Returns the state after the kill.
    pub async fn kill_operation(&self, id: i64) -> Result<OperationState, ApiError> {
        self.get(&format!("/operation/kill?id={id}")).await?.json()
    }

    /// Cancels a running operation through its route: 3.5's `GET
    /// /operation/kill` (E8), or 4.x+'s `POST …/operations/kill?id=` (204,
    /// no body; docs/protocol/ravendb-4x.md#kill), whose state is read right
    /// after.
    pub async fn kill(&self, target: &KillTarget) -> Result<KillAnswer, ApiError> {
        let (_, path) = target.route.request(target.id);
        match &target.route {
            KillRoute::V35 => Ok(KillAnswer::V35(self.kill_operation(target.id).await?)),
            KillRoute::Database(db) => {
                http::send(
                    Method::POST,
                    &self.url(&path),
                    Some(String::new()),
                    self.timeout_ms,
                )
                .await?;
                let state = self.operation_state4(Some(db), target.id).await.ok();
                Ok(KillAnswer::V4(state))
            }
            KillRoute::Server => {
                http::send(
                    Method::POST,
                    &self.url(&path),
                    Some(String::new()),
                    self.timeout_ms,
                )
                .await?;
                let state = self.operation_state4(None, target.id).await.ok();
                Ok(KillAnswer::V4(state))
            }
        }
    }

    /// `DELETE /admin/databases/{db}?hard-delete=true` (§16.2): removes the
    /// database and its data folder. `Ok(false)`: there was no such
    /// database.
    pub async fn hard_delete_database(&self, name: &str) -> Result<bool, ApiError> {
        let url = self.url(&format!(
            "/admin/databases/{}?hard-delete=true",
            percent_encode(name)
        ));
        match http::send(Method::DELETE, &url, None, self.timeout_ms).await {
            Ok(_) => Ok(true),
            Err(ApiError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// `GET /operations` (E9).
    pub async fn operations(&self) -> Result<Vec<OperationsListItem>, ApiError> {
        self.get("/operations").await?.json()
    }

    /// Performs one request of the polling engine.
    pub async fn poll(&self, request: &PollRequest) -> Result<PollResponse, ApiError> {
        Ok(match request {
            PollRequest::OperationStatus { id } => {
                PollResponse::Operation(self.operation_status(*id).await?)
            }
            PollRequest::Operation4 { database, id } => {
                PollResponse::Operation4(self.operation_state4(database.as_deref(), *id).await?)
            }
            PollRequest::BackupStatusDoc { database } => self
                .backup_status(database.as_deref())
                .await?
                .map_or(PollResponse::Missing, PollResponse::Backup),
            PollRequest::FsBackupStatus { fs } => self
                .fs_backup_status(fs)
                .await?
                .map_or(PollResponse::Missing, PollResponse::Backup),
            PollRequest::RestoreStatusDoc => self
                .restore_status(None)
                .await?
                .map_or(PollResponse::Missing, PollResponse::Restore),
            PollRequest::FsRestoreStatusDoc { fs } => self
                .restore_status(Some(fs))
                .await?
                .map_or(PollResponse::Missing, PollResponse::Restore),
        })
    }

    // ---- RavenDB 4.x and later -------------------------------------------

    async fn send4<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<T, ApiError> {
        http::send(method, &self.url(path), body, self.timeout_ms)
            .await?
            .json()
    }

    /// `GET /cluster/topology`: the cluster's nodes and the answering one
    /// (docs/protocol/ravendb-4x.md#cluster-topology).
    pub async fn cluster_topology(
        &self,
    ) -> Result<super::wire::topology::ClusterTopologyResponse, ApiError> {
        self.send4(Method::GET, "/cluster/topology", None).await
    }

    /// `GET /databases/{db}/tasks`: the database's ongoing tasks (backups
    /// among them, with their last and next runs).
    pub async fn tasks4(&self, database: &str) -> Result<wire4x::OngoingTasks, ApiError> {
        self.send4(
            Method::GET,
            &format!("/databases/{}/tasks", percent_encode(database)),
            None,
        )
        .await
    }

    /// `GET /periodic-backup/status?name=&taskId=` (server-level in 4.1).
    pub async fn backup_status4(
        &self,
        database: &str,
        task_id: i64,
    ) -> Result<wire4x::PeriodicBackupStatusResponse, ApiError> {
        let path = format!(
            "/periodic-backup/status?name={}&taskId={task_id}",
            percent_encode(database)
        );
        self.send4(Method::GET, &path, None).await
    }

    /// `POST /databases/{db}/admin/periodic-backup`: creates a backup task.
    pub async fn create_backup_task4(
        &self,
        database: &str,
        config: &wire4x::PeriodicBackupConfiguration,
    ) -> Result<wire4x::TaskCreated, ApiError> {
        let path = format!(
            "/databases/{}/admin/periodic-backup",
            percent_encode(database)
        );
        self.send4(Method::POST, &path, Some(json_text(config)?))
            .await
    }

    /// `DELETE /databases/{db}/admin/tasks?id=&type=Backup`: removes a task.
    pub async fn delete_backup_task4(&self, database: &str, task_id: i64) -> Result<(), ApiError> {
        let path = format!(
            "/databases/{}/admin/tasks?id={task_id}&type=Backup",
            percent_encode(database)
        );
        http::send(Method::DELETE, &self.url(&path), None, self.timeout_ms).await?;
        Ok(())
    }

    /// `POST /databases/{db}/admin/backup/database?taskId=&isFullBackup=`:
    /// runs a backup task now. The body must be empty but present
    /// (Content-Length: 0), or Kestrel answers 411.
    pub async fn backup_now4(
        &self,
        database: &str,
        task_id: i64,
        full: bool,
    ) -> Result<i64, ApiError> {
        let path = format!(
            "/databases/{}/admin/backup/database?taskId={task_id}&isFullBackup={full}",
            percent_encode(database)
        );
        let id: wire4x::OperationIdResponse = self
            .send4(Method::POST, &path, Some(String::new()))
            .await
            .map_err(|e| wire4x::backup_now_error(e, task_id))?;
        Ok(id.operation_id)
    }

    /// `POST /databases/{db}/admin/backup` (4.2+): a one-time backup
    /// configured by `body`; answers the database-level operation id and
    /// the node that runs it (docs/protocol/ravendb-4x.md#one-time-backup).
    pub async fn one_time_backup4(
        &self,
        database: &str,
        body: &Value,
    ) -> Result<wire4x::OperationIdResponse, ApiError> {
        let path = format!("/databases/{}/admin/backup", percent_encode(database));
        self.send4(Method::POST, &path, Some(json_text(body)?))
            .await
    }

    /// `GET /databases/{db}/operations/state?id=` (database-level) or
    /// `GET /operations/state?id=` (server-level, `database: None`).
    pub async fn operation_state4(
        &self,
        database: Option<&str>,
        id: i64,
    ) -> Result<wire4x::OperationState, ApiError> {
        let path = match database {
            Some(db) => format!("/databases/{}/operations/state?id={id}", percent_encode(db)),
            None => format!("/operations/state?id={id}"),
        };
        self.send4(Method::GET, &path, None).await
    }

    /// `GET /databases/{db}/operations`: the database-level operations
    /// (docs/protocol/ravendb-4x.md#operations-list).
    pub async fn operations4(
        &self,
        database: &str,
    ) -> Result<wire4x::DatabaseOperations, ApiError> {
        self.send4(
            Method::GET,
            &format!("/databases/{}/operations", percent_encode(database)),
            None,
        )
        .await
    }

    /// `POST /admin/restore/points`: the restore points of a folder, in the
    /// request shape of the server's version.
    pub async fn restore_points4(
        &self,
        generation: Generation,
        folder: &str,
    ) -> Result<wire4x::RestorePoints, ApiError> {
        let (major, minor) = generation.major_minor();
        let (path, body) = wire4x::restore_points_request(major, minor, folder);
        self.send4(Method::POST, path, Some(body.to_string())).await
    }

    /// `GET /build/version` (E13, anonymous): the version, and from it the
    /// protocol generation every other call follows.
    pub async fn server_info(&self) -> Result<ServerInfo, ApiError> {
        let url = self.url("/build/version");
        let raw = self.get("/build/version").await.map_err(|e| match e {
            // Something answered but not with RavenDB's version route.
            ApiError::NotFound { .. } | ApiError::MalformedBody { .. } => ApiError::NotRavenDb {
                url: url.clone(),
                detail: "GET /build/version was not answered the way RavenDB answers it".into(),
            },
            other => other,
        })?;
        let bv: BuildVersion = raw.json().map_err(|_| ApiError::NotRavenDb {
            url: url.clone(),
            detail: "GET /build/version did not return RavenDB's version document".into(),
        })?;
        let generation =
            super::version::Generation::detect(&bv).map_err(|detail| ApiError::NotRavenDb {
                url: url.clone(),
                detail,
            })?;
        Ok(ServerInfo {
            product_version: bv.product_version.clone(),
            build_version: bv.build_version.clone(),
            generation,
        })
    }
}

/// A request body as JSON text.
fn json_text<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::MalformedBody {
        detail: format!("the request body could not be written: {e}"),
    })
}
