//! The version and database-list readers both generations use.

use super::roundtrip;
use crate::api::wire::common::*;
use serde_json::json;

#[test]
fn database_lists_of_names_and_of_objects() {
    // §9.1
    let names = parse_database_list(json!(["Northwind", "Orders"]));
    assert_eq!(
        names,
        vec![
            DatabaseListEntry::named("Northwind"),
            DatabaseListEntry::named("Orders")
        ]
    );
    let rich = parse_database_list(json!([
        {"Name": "Northwind", "Disabled": false, "IndexingDisabled": false,
         "RejectClientsEnabled": false, "ClusterWide": false,
         "Bundles": ["Replication", "Versioning"], "IsAdminCurrentTenant": true,
         "IsLoaded": true, "Stats": null},
        {"Name": "Orders", "Disabled": true, "Bundles": null},
        {"NoName": 1}, 7
    ]));
    assert_eq!(rich.len(), 2);
    assert_eq!(rich[0].bundles, vec!["Replication", "Versioning"]);
    assert_eq!(rich[0].is_loaded, Some(true));
    assert_eq!(rich[1].disabled, Some(true));
    assert!(rich[1].bundles.is_empty());
    let v4 = parse_database_list(json!({"Databases": [{"Name": "Test", "Disabled": false}]}));
    assert_eq!(v4[0].name, "Test");
    assert!(parse_database_list(json!("nope")).is_empty());
}

#[test]
fn build_version_strings_and_numbers() {
    // §9.3
    let (v, _) =
        roundtrip::<BuildVersion>(r#"{"ProductVersion":"3.0.0 / 6dce79a","BuildVersion":"3260"}"#);
    assert_eq!(v.build_version, "3260");
    let v4: BuildVersion = serde_json::from_str(
        r#"{"BuildVersion":41001,"ProductVersion":"4.1","CommitHash":"86e8830","FullVersion":"4.1.0"}"#,
    )
    .unwrap();
    assert_eq!(v4.build_version, "41001");
    assert_eq!(v4.full_version.as_deref(), Some("4.1.0"));
    let empty: BuildVersion = serde_json::from_str("{}").unwrap();
    assert_eq!(empty.product_version, "");
}
