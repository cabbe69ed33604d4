//! Browser tests of operation identity (issue 18) with two devservers of
//! their own (3.5, `DEVSERVER_ID_A_URL` and `DEVSERVER_ID_B_URL`, started
//! by scripts/test.sh): operations with equal ids on both servers are
//! remembered, read back after a reload, shown each under its server and
//! followed each on its own server to its own end.
#![cfg(target_arch = "wasm32")]

mod support;

use raven_backup_studio::{
    api::{client::Client, poll::Watched},
    state::operations::{store as operations_store, RememberedOperation},
};
use serde_json::json;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER_URL_KEY: &str = "raven-backup-studio.server-url";
const OPERATIONS_KEY: &str = "raven-backup-studio.operations";

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn servers() -> (String, String) {
    let a = option_env!("DEVSERVER_ID_A_URL");
    let b = option_env!("DEVSERVER_ID_B_URL");
    match (a, b) {
        (Some(a), Some(b)) => (a.to_string(), b.to_string()),
        _ => panic!("DEVSERVER_ID_A_URL / DEVSERVER_ID_B_URL are not set at build time: run the browser tests with `make test`, which starts the devservers"),
    }
}

async fn start_backup(client: &Client, location: &str) -> i64 {
    client
        .start_operation(
            "/databases/Northwind/admin/backup?incremental=false",
            &json!({"BackupLocation": location, "DatabaseDocument": null}),
        )
        .await
        .unwrap()
        .operation_id
        .expect("3.5 answers an operation id")
}

fn northwind_backup(id: i64, server: &str, started_ms: f64) -> RememberedOperation {
    RememberedOperation::new(
        &Watched::DatabaseBackup {
            database: Some("Northwind".into()),
        },
        Some(id),
        server,
        started_ms,
    )
}

/// The app as after a reload, connected to `server`, on the Operations screen.
async fn operations_screen_on(server: &str) -> Mounted {
    storage().set_item(SERVER_URL_KEY, server).unwrap();
    set_hash("#/operations");
    let app = mount_app();
    wait_for_page(&app, "connected", 10_000, || {
        query_role(&app, "status", "Connected: RavenDB 3.5").is_some()
    })
    .await;
    app
}

/// The outcome remembered for the entry started on `server`.
fn remembered_outcome(server: &str) -> Option<String> {
    operations_store::list()
        .into_iter()
        .find(|o| o.is_on(server))
        .and_then(|o| o.outcome)
}

#[wasm_bindgen_test]
async fn equal_ids_on_two_servers_are_each_followed_on_their_own_server_to_their_own_end() {
    let (a, b) = servers();
    control::reset(&a).await;
    control::reset(&b).await;
    storage().remove_item(OPERATIONS_KEY).unwrap();
    // On B the backup fails; on A it succeeds.
    control::fail_next(&b, "backup", 2, "Injected on server B: the disk is full").await;
    let started_ms = js_sys::Date::now();
    let id_a = start_backup(&Client::new(a.clone(), 10_000), "identity/a").await;
    let id_b = start_backup(&Client::new(b.clone(), 10_000), "identity/b").await;
    assert_eq!(
        id_a, id_b,
        "both servers number their first operation alike"
    );
    // Remembered as the Backup screen does, plus an entry an early version
    // stored without its server.
    operations_store::remember(northwind_backup(id_a, &a, started_ms));
    operations_store::remember(northwind_backup(id_b, &format!("{b}/"), started_ms));
    let mut stored: serde_json::Value =
        serde_json::from_str(&storage().get_item(OPERATIONS_KEY).unwrap().unwrap()).unwrap();
    stored.as_array_mut().unwrap().push(json!({
        "kind": "DatabaseRestore", "name": "Ancient", "operation_id": id_a, "started_ms": 1.0
    }));
    storage()
        .set_item(OPERATIONS_KEY, &stored.to_string())
        .unwrap();

    // On server A (after a reload): A's entry can be followed; B's and the
    // unknown server's are shown under their server, without a button.
    let app = operations_screen_on(&a).await;
    let local = by_role(&app, "region", "Started from this browser");
    wait_for_page(&app, "both servers' entries", 5000, || {
        query_role(&local, "heading", &format!("On {b}")).is_some()
            && query_role(&local, "heading", "Server unknown").is_some()
    })
    .await;
    let follow_buttons = all_by_role(&local, "button", "Follow");
    assert_eq!(
        follow_buttons.len(),
        1,
        "only server A's entry is followed here"
    );
    let on_b = by_role(&local, "table", &format!("on {b}"));
    assert!(text(&on_b).contains("Northwind"), "{}", text(&on_b));
    assert!(text(&on_b).contains("Not on the server in use"));
    let unknown = by_role(&local, "table", "an unknown server");
    assert!(text(&unknown).contains("Ancient"), "{}", text(&unknown));
    click(&follow_buttons[0]);
    wait_for_page(&app, "A's backup succeeded", 30_000, || {
        query_role(&app, "region", "Backup of database Northwind")
            .is_some_and(|p| text(&p).contains("Backup succeeded"))
    })
    .await;
    wait_for_page(&app, "A's outcome recorded", 3000, || {
        remembered_outcome(&a).as_deref() == Some("succeeded")
    })
    .await;
    assert_eq!(remembered_outcome(&b), None, "B's entry is untouched");
    drop(app);

    // Switched to server B (and reloaded): B's entry is followed on B, to
    // its failure in B's words; A's success stays A's.
    let app = operations_screen_on(&b).await;
    let local = by_role(&app, "region", "Started from this browser");
    wait_for_page(&app, "A's entry under A", 5000, || {
        query_role(&local, "heading", &format!("On {a}")).is_some()
    })
    .await;
    let follow_buttons = all_by_role(&local, "button", "Follow");
    assert_eq!(follow_buttons.len(), 1);
    click(&follow_buttons[0]);
    wait_for_page(&app, "B's backup failed", 30_000, || {
        query_role(&app, "region", "Backup of database Northwind")
            .is_some_and(|p| text(&p).contains("Injected on server B"))
    })
    .await;
    let panel = by_role(&app, "region", "Backup of database Northwind");
    assert!(
        !text(&panel).contains("Backup succeeded"),
        "{}",
        text(&panel)
    );
    // Storage keeps the kind of ending, never the server's words (they can
    // carry paths or tokens); the row says them from this tab's memory.
    wait_for_page(&app, "B's outcome recorded", 3000, || {
        remembered_outcome(&b).as_deref() == Some("failed")
    })
    .await;
    wait_for_page(&app, "B's row says the server's words", 3000, || {
        text(&by_role(&local, "table", "newest first"))
            .contains("failed: Failed to complete backup because: Injected on server B")
    })
    .await;
    assert_eq!(remembered_outcome(&a).as_deref(), Some("succeeded"));
    assert_eq!(
        operations_store::list().len(),
        3,
        "nothing was mixed or merged"
    );
}

#[wasm_bindgen_test]
async fn switching_the_server_under_server_settings_shows_each_servers_operations_apart() {
    let (a, b) = servers();
    control::reset(&a).await;
    control::reset(&b).await;
    storage().remove_item(OPERATIONS_KEY).unwrap();
    // B's backup runs a while, so it is followed running.
    control::op_step(&b, 150).await;
    let started_ms = js_sys::Date::now();
    let id_a = start_backup(&Client::new(a.clone(), 10_000), "identity/switch-a").await;
    let id_b = start_backup(&Client::new(b.clone(), 10_000), "identity/switch-b").await;
    assert_eq!(id_a, id_b);
    operations_store::remember(northwind_backup(id_a, &a, started_ms));
    operations_store::remember(northwind_backup(id_b, &b, started_ms + 1.0));

    let app = operations_screen_on(&a).await;
    let local = by_role(&app, "region", "Started from this browser");
    let here = by_role(&local, "table", "newest first");
    assert_eq!(all_by_role(&here, "button", "Follow").len(), 1);
    wait_for_page(&app, "B's entry under B", 5000, || {
        query_role(&local, "heading", &format!("On {b}")).is_some()
    })
    .await;

    // Switch to B under Server settings, without a reload.
    click(&by_role(&app, "button", "Server settings"));
    wait_for_page(&app, "settings panel", 2000, || {
        query_role(&app, "textbox", "RavenDB server URL").is_some()
    })
    .await;
    let input = by_role(&app, "textbox", "RavenDB server URL");
    type_into(&input, &b);
    click(&by_role(&app, "button", "Save and check"));
    wait_for_page(&app, "A's entry under A", 10_000, || {
        query_role(&local, "heading", &format!("On {a}")).is_some()
            && query_role(&local, "heading", &format!("On {b}")).is_none()
    })
    .await;
    wait_for_page(&app, "connected to B", 10_000, || {
        query_role(&app, "status", "Connected: RavenDB 3.5").is_some()
    })
    .await;
    let here = by_role(&local, "table", "newest first");
    let buttons = all_by_role(&here, "button", "Follow");
    assert_eq!(buttons.len(), 1, "B's entry alone is followed on B");
    click(&buttons[0]);
    wait_for_page(&app, "B's backup succeeded", 30_000, || {
        query_role(&app, "region", "Backup of database Northwind")
            .is_some_and(|p| text(&p).contains("Backup succeeded"))
    })
    .await;
    wait_for_page(&app, "B's outcome recorded", 3000, || {
        remembered_outcome(&b).as_deref() == Some("succeeded")
    })
    .await;
    assert_eq!(remembered_outcome(&a), None, "A's entry is untouched");
    // B's backup went to B's own folder.
    assert!(control::backup_files(&b)
        .await
        .contains(&"identity/switch-b/Database.Document".to_string()));
    control::op_step(&b, 40).await;
}
