//! One hand-written reader per wire type the dashboard reads: each object is
//! read once from a borrowed `serde_json::Value` with the shared lenient
//! field readers, exactly as leniently as serde's derive with those readers
//! read it, for far fewer bytes of wasm than one derived reader per type
//! and per nesting (docs/size.md). Field indexes are the declaration order
//! (serde's derive reads a struct from an array by position).

use super::common::{BuildVersion, DatabaseListEntry};
use super::lenient::*;
use super::topology::{ClusterTopology, ClusterTopologyResponse};
use super::v3::{
    BackupMessage, BackupStatus, DatabaseDocument, OperationIdResponse as OperationIdResponse3,
    OperationState as OperationState3, OperationStateDetail, OperationsListItem, RestoreInProgress,
    Severity,
};
use super::v4::*;
use serde::de::{Error as _, Unexpected};
use serde_json::{Error, Map, Value};

/// Declares `ReadWire` for a struct: its name, its field count, and how its
/// fields are read (`f` is the [`Fields`]).
macro_rules! read_wire {
    ($name:ident, $fields:expr, |$f:ident| $body:expr) => {
        read_wire!($name as $name, $fields, |$f| $body);
    };
    ($name:ident as $wire:ident, $fields:expr, |$f:ident| $body:expr) => {
        impl ReadWire for $name {
            const EXPECTING: &'static str = concat!("struct ", stringify!($wire));
            const FIELDS: usize = $fields;
            fn read($f: &Fields) -> Result<Self, Error> {
                $body
            }
        }
        deserialize_by_hand!($name);
    };
}

/// The entries of `map` whose names are not in `known` (a flattened `extra`).
fn extra_fields(f: &Fields, known: &[&str]) -> Map<String, Value> {
    match f {
        Fields::Map(map) => map
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        Fields::Seq(_) => Map::new(),
    }
}

// --- 4.x and later -----------------------------------------------------------

read_wire!(NodeId, 2, |f| Ok(NodeId {
    node_tag: text(f.get(0, "NodeTag")),
    node_url: opt_text(f.get(1, "NodeUrl")),
}));

read_wire!(NextBackup, 3, |f| Ok(NextBackup {
    time_span: opt_text(f.get(0, "TimeSpan")),
    date_time: opt_text(f.get(1, "DateTime")),
    is_full: flag(f.get(2, "IsFull")),
}));

read_wire!(RunningBackup, 3, |f| Ok(RunningBackup {
    start_time: opt_text(f.get(0, "StartTime")),
    is_full: opt_flag(f.get(1, "IsFull")),
    running_backup_task_id: opt_int(f.get(2, "RunningBackupTaskId")),
}));

read_wire!(OngoingTask, 13, |f| Ok(OngoingTask {
    task_id: int(f.get(0, "TaskId")),
    task_type: text(f.get(1, "TaskType")),
    responsible_node: opt_object(f.get(2, "ResponsibleNode")),
    task_state: text(f.get(3, "TaskState")),
    task_connection_status: opt_text(f.get(4, "TaskConnectionStatus")),
    task_name: text(f.get(5, "TaskName")),
    error: opt_text(f.get(6, "Error")),
    backup_type: opt_backup_type(f.get(7, "BackupType")),
    backup_destinations: text_list(f.get(8, "BackupDestinations")),
    last_full_backup: opt_text(f.get(9, "LastFullBackup")),
    last_incremental_backup: opt_text(f.get(10, "LastIncrementalBackup")),
    on_going_backup: opt_object(f.get(11, "OnGoingBackup")),
    next_backup: opt_object(f.get(12, "NextBackup")),
}));

/// `Option<BackupType>`: `null` is `None`, any other value is read.
fn opt_backup_type(v: Option<&Value>) -> Option<BackupType> {
    v.filter(|v| !v.is_null()).map(BackupType::from_value)
}

read_wire!(OngoingTasks, 2, |f| {
    // `OngoingTasks` is an alias of `OngoingTasksList`: both at once is
    // serde's "duplicate field".
    if let Fields::Map(map) = f {
        if map.contains_key("OngoingTasksList") && map.contains_key("OngoingTasks") {
            return Err(serde::de::Error::duplicate_field("OngoingTasksList"));
        }
    }
    Ok(OngoingTasks {
        ongoing_tasks_list: object_list(
            f.get(0, "OngoingTasksList")
                .or_else(|| f.get(0, "OngoingTasks")),
        ),
        subscriptions_count: int(f.get(1, "SubscriptionsCount")),
    })
});

read_wire!(LocalSettings, 2, |f| Ok(LocalSettings {
    disabled: flag(f.get(0, "Disabled")),
    folder_path: text(f.get(1, "FolderPath")),
}));

read_wire!(PeriodicBackupConfiguration, 0, |f| Ok(
    PeriodicBackupConfiguration {
        task_id: opt_int(f.get(0, "TaskId")),
        name: opt_text(f.get(1, "Name")),
        backup_type: f
            .get(2, "BackupType")
            .map(BackupType::from_value)
            .unwrap_or_default(),
        full_backup_frequency: opt_text(f.get(3, "FullBackupFrequency")),
        incremental_backup_frequency: opt_text(f.get(4, "IncrementalBackupFrequency")),
        disabled: flag(f.get(5, "Disabled")),
        local_settings: opt_object(f.get(6, "LocalSettings")),
        extra: extra_fields(
            f,
            &[
                "TaskId",
                "Name",
                "BackupType",
                "FullBackupFrequency",
                "IncrementalBackupFrequency",
                "Disabled",
                "LocalSettings",
            ],
        ),
    }
));

read_wire!(TaskCreated, 2, |f| Ok(TaskCreated {
    raft_command_index: opt_int(f.get(0, "RaftCommandIndex")),
    task_id: int(f.get(1, "TaskId")),
}));

read_wire!(LocalBackupStatus, 7, |f| Ok(LocalBackupStatus {
    last_full_backup: opt_text(f.get(0, "LastFullBackup")),
    last_incremental_backup: opt_text(f.get(1, "LastIncrementalBackup")),
    full_backup_duration_in_ms: opt_int(f.get(2, "FullBackupDurationInMs")),
    incremental_backup_duration_in_ms: opt_int(f.get(3, "IncrementalBackupDurationInMs")),
    exception: opt_text(f.get(4, "Exception")),
    backup_directory: opt_text(f.get(5, "BackupDirectory")),
    temp_folder_used: flag(f.get(6, "TempFolderUsed")),
}));

read_wire!(PeriodicBackupStatus, 13, |f| Ok(PeriodicBackupStatus {
    task_id: int(f.get(0, "TaskId")),
    backup_type: opt_backup_type(f.get(1, "BackupType")),
    is_full: flag(f.get(2, "IsFull")),
    node_tag: opt_text(f.get(3, "NodeTag")),
    last_full_backup: opt_text(f.get(4, "LastFullBackup")),
    last_incremental_backup: opt_text(f.get(5, "LastIncrementalBackup")),
    local_backup: opt_object(f.get(6, "LocalBackup")),
    last_etag: opt_int(f.get(7, "LastEtag")),
    folder_name: opt_text(f.get(8, "FolderName")),
    duration_in_ms: opt_int(f.get(9, "DurationInMs")),
    version: opt_int(f.get(10, "Version")),
    error: opt_json(f.get(11, "Error")),
    last_operation_id: opt_int(f.get(12, "LastOperationId")),
}));

read_wire!(PeriodicBackupStatusResponse, 1, |f| Ok(
    PeriodicBackupStatusResponse {
        status: opt_object(f.get(0, "Status")),
    }
));

read_wire!(RestorePoint, 9, |f| Ok(RestorePoint {
    date_time: opt_text(f.get(0, "DateTime")),
    location: text(f.get(1, "Location")),
    file_name: text(f.get(2, "FileName")),
    is_snapshot_restore: flag(f.get(3, "IsSnapshotRestore")),
    is_encrypted: flag(f.get(4, "IsEncrypted")),
    is_incremental: flag(f.get(5, "IsIncremental")),
    files_to_restore: int(f.get(6, "FilesToRestore")),
    database_name: opt_text(f.get(7, "DatabaseName")),
    node_tag: opt_text(f.get(8, "NodeTag")),
}));

read_wire!(RestorePoints, 1, |f| Ok(RestorePoints {
    list: object_list(f.get(0, "List")),
}));

read_wire!(OperationIdResponse, 3, |f| Ok(OperationIdResponse {
    responsible_node: opt_text(f.get(0, "ResponsibleNode")),
    operation_id: int(f.get(1, "OperationId")),
    operation_node_tag: opt_text(f.get(2, "OperationNodeTag")),
}));

read_wire!(OperationDescription, 3, |f| Ok(OperationDescription {
    description: opt_text(f.get(0, "Description")),
    task_type: opt_text(f.get(1, "TaskType")),
    start_time: opt_text(f.get(2, "StartTime")),
}));

read_wire!(DatabaseOperation, 2, |f| Ok(DatabaseOperation {
    id: int(f.get(0, "Id")),
    description: opt_object(f.get(1, "Description")),
}));

read_wire!(DatabaseOperations, 1, |f| Ok(DatabaseOperations {
    results: object_list(f.get(0, "Results")),
}));

read_wire!(ItemCount, 4, |f| Ok(ItemCount {
    processed: flag(f.get(0, "Processed")),
    skipped: flag(f.get(1, "Skipped")),
    read_count: int(f.get(2, "ReadCount")),
    errored_count: int(f.get(3, "ErroredCount")),
}));

read_wire!(FileCounts, 2, |f| Ok(FileCounts {
    current_file: int(f.get(0, "CurrentFile")),
    file_count: int(f.get(1, "FileCount")),
}));

read_wire!(OperationProgress, 6, |f| Ok(OperationProgress {
    type_name: opt_text(f.get(0, "$type")),
    message: opt_text(f.get(1, "Message")),
    documents: opt_object(f.get(2, "Documents")),
    files: opt_object(f.get(3, "Files")),
    local_backup: opt_object(f.get(4, "LocalBackup")),
    snapshot_restore: opt_json_object(f.get(5, "SnapshotRestore")),
}));

read_wire!(LocalBackupResult, 2, |f| Ok(LocalBackupResult {
    backup_directory: opt_text(f.get(0, "BackupDirectory")),
    file_name: opt_text(f.get(1, "FileName")),
}));

read_wire!(OperationResult, 11, |f| Ok(OperationResult {
    type_name: opt_text(f.get(0, "$type")),
    messages: text_list(f.get(1, "Messages")),
    elapsed: opt_text(f.get(2, "Elapsed")),
    documents: opt_object(f.get(3, "Documents")),
    data_directory: opt_text(f.get(4, "DataDirectory")),
    exception_type: opt_text(f.get(5, "Type")),
    message: opt_text(f.get(6, "Message")),
    error: opt_text(f.get(7, "Error")),
    status_code: opt_int(f.get(8, "StatusCode")),
    local_backup: opt_object(f.get(9, "LocalBackup")),
    snapshot_restore: opt_json_object(f.get(10, "SnapshotRestore")),
}));

read_wire!(OperationState, 3, |f| Ok(OperationState {
    status: f
        .get(0, "Status")
        .map(OperationStatus::from_value)
        .unwrap_or_default(),
    progress: opt_object(f.get(1, "Progress")).map(Box::new),
    result: opt_object(f.get(2, "Result")).map(Box::new),
}));

// --- cluster topology --------------------------------------------------------

read_wire!(ClusterTopology, 4, |f| Ok(ClusterTopology {
    all_nodes: text_map(f.get(0, "AllNodes")),
    members: text_map(f.get(1, "Members")),
    promotables: text_map(f.get(2, "Promotables")),
    watchers: text_map(f.get(3, "Watchers")),
}));

read_wire!(ClusterTopologyResponse, 3, |f| Ok(
    ClusterTopologyResponse {
        node_tag: opt_text(f.get(0, "NodeTag")),
        leader: opt_text(f.get(1, "Leader")),
        topology: opt_object(f.get(2, "Topology")),
    }
));

// --- both generations --------------------------------------------------------

read_wire!(DatabaseListEntry, 9, |f| Ok(DatabaseListEntry {
    name: text(f.get(0, "Name")),
    disabled: opt_flag(f.get(1, "Disabled")),
    indexing_disabled: opt_flag(f.get(2, "IndexingDisabled")),
    reject_clients_enabled: opt_flag(f.get(3, "RejectClientsEnabled")),
    cluster_wide: opt_flag(f.get(4, "ClusterWide")),
    bundles: text_list(f.get(5, "Bundles")),
    is_admin_current_tenant: opt_flag(f.get(6, "IsAdminCurrentTenant")),
    is_loaded: opt_flag(f.get(7, "IsLoaded")),
    stats: opt_json(f.get(8, "Stats")),
}));

read_wire!(BuildVersion, 4, |f| Ok(BuildVersion {
    product_version: text(f.get(0, "ProductVersion")),
    build_version: text(f.get(1, "BuildVersion")),
    full_version: opt_text(f.get(2, "FullVersion")),
    commit_hash: opt_text(f.get(3, "CommitHash")),
}));

// --- 3.x -----------------------------------------------------------------------

read_wire!(DatabaseDocument, 0, |f| Ok(DatabaseDocument {
    id: opt_text(f.get(0, "Id")),
    settings: text_map(f.get(1, "Settings")),
    secured_settings: text_map(f.get(2, "SecuredSettings")),
    disabled: flag(f.get(3, "Disabled")),
    extra: extra_fields(f, &["Id", "Settings", "SecuredSettings", "Disabled"]),
}));

read_wire!(BackupMessage, 4, |f| Ok(BackupMessage {
    message: text(f.get(0, "Message")),
    details: opt_text(f.get(1, "Details")),
    timestamp: opt_text(f.get(2, "Timestamp")),
    severity: f
        .get(3, "Severity")
        .map(Severity::from_value)
        .unwrap_or_default(),
}));

read_wire!(BackupStatus, 5, |f| Ok(BackupStatus {
    started: opt_text(f.get(0, "Started")),
    completed: opt_text(f.get(1, "Completed")),
    is_running: flag(f.get(2, "IsRunning")),
    success: opt_flag(f.get(3, "Success")),
    // Not lenient per item (as before): `null` is empty, an item that is
    // not a message fails the document. (Read from an array, serde said
    // "too long" before a bad `Messages`.)
    messages: match f.get(4, "Messages") {
        _ if matches!(f, Fields::Seq(items) if items.len() > 5) => Vec::new(),
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(read_value::<BackupMessage>)
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(invalid_type(other, "a sequence")),
    },
}));

read_wire!(RestoreInProgress, 1, |f| Ok(RestoreInProgress {
    resource: text(f.get(0, "Resource")),
}));

/// A field serde's derive read strictly as an `i64`: a whole number in range.
fn strict_i64(v: &Value) -> Result<i64, Error> {
    match v {
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Ok(i),
            (None, Some(u)) => Err(Error::invalid_value(Unexpected::Unsigned(u), &"i64")),
            _ => Err(invalid_type(v, "i64")),
        },
        other => Err(invalid_type(other, "i64")),
    }
}

/// In an array, a field without a default must be there (serde's derive:
/// "invalid length").
fn required_in_seq(f: &Fields, index: usize, expecting: &str) -> Result<(), Error> {
    match f {
        Fields::Seq(items) if items.len() <= index => Err(Error::invalid_length(index, &expecting)),
        _ => Ok(()),
    }
}

read_wire!(OperationState3 as OperationState, 5, |f| {
    let state = OperationState3 {
        completed: flag(f.get(0, "Completed")),
        faulted: flag(f.get(1, "Faulted")),
        canceled: opt_flag(f.get(2, "Canceled")),
        exception: {
            required_in_seq(f, 3, "struct OperationState with 5 elements")?;
            opt_json(f.get(3, "Exception"))
        },
        state: f
            .get(4, "State")
            .filter(|v| !v.is_null())
            .map(OperationStateDetail::from_value),
    };
    Ok(state)
});

read_wire!(OperationsListItem, 12, |f| {
    let id = match f.get(0, "Id") {
        Some(v) => strict_i64(v)?,
        None => 0,
    };
    let (task_type, payload, description, start_time, task_status) = (
        opt_text(f.get(1, "TaskType")),
        opt_text(f.get(2, "Payload")),
        opt_text(f.get(3, "Description")),
        opt_text(f.get(4, "StartTime")),
        opt_text(f.get(5, "TaskStatus")),
    );
    required_in_seq(f, 6, "struct OperationsListItem with 12 elements")?;
    Ok(OperationsListItem {
        id,
        task_type,
        payload,
        description,
        start_time,
        task_status,
        status: opt_json(f.get(6, "Status")),
        completed: opt_flag(f.get(7, "Completed")),
        faulted: opt_flag(f.get(8, "Faulted")),
        canceled: opt_flag(f.get(9, "Canceled")),
        exception: opt_json(f.get(10, "Exception")),
        killable: opt_flag(f.get(11, "Killable")),
    })
});

read_wire!(OperationIdResponse3 as OperationIdResponse, 1, |f| {
    required_in_seq(f, 0, "struct OperationIdResponse with 1 element")?;
    match f.get(0, "OperationId") {
        Some(v) => Ok(OperationIdResponse3 {
            operation_id: strict_i64(v)?,
        }),
        None => Err(Error::missing_field("OperationId")),
    }
});
