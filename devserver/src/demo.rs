//! Deterministic demo data (`--demo`).

use crate::app::{App, Kind};
use crate::store::file_value;
use serde_json::{json, Map, Value};
use std::io;

pub const DEMO_DATABASES: [&str; 3] = ["Northwind", "Payroll", "Orders2019"];
pub const DEMO_FILESYSTEMS: [&str; 1] = ["Media"];
pub const DEMO_ENCRYPTION_KEY: &str = "3w17MIVIBLSWZpzH0YarqRlR2+yHiSBCXT6rKCC6UTk=";

fn settings(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect()
}

fn md(entity: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("Raven-Entity-Name".into(), json!(entity));
    m.insert(
        "Raven-Clr-Type".into(),
        json!(format!(
            "Northwind.Models.{}, Northwind",
            &entity[..entity.len() - 1]
        )),
    );
    m
}

const CITIES: [(&str, &str); 8] = [
    ("Berlin", "Germany"),
    ("London", "UK"),
    ("Lyon", "France"),
    ("Madrid", "Spain"),
    ("Seattle", "USA"),
    ("Torino", "Italy"),
    ("Oslo", "Norway"),
    ("Tel Aviv", "Israel"),
];

fn northwind_docs() -> Vec<(String, Value, Map<String, Value>)> {
    let mut v = Vec::new();
    for i in 1..=90u32 {
        let (city, country) = CITIES[(i as usize) % CITIES.len()];
        v.push((
            format!("companies/{i}"),
            json!({"Name": format!("Company {i:03}"), "ExternalId": format!("C{i:04}"),
                "Contact": {"Name": format!("Contact {i}"), "Title": "Owner"},
                "Address": {"City": city, "Country": country, "PostalCode": format!("{:05}", 10000 + i * 37)}}),
            md("Companies"),
        ));
    }
    for i in 1..=10u32 {
        v.push((
            format!("employees/{i}"),
            json!({"FirstName": format!("First{i}"), "LastName": format!("Last{i}"),
                "Title": if i == 2 { "Vice President, Sales" } else { "Sales Representative" },
                "HiredAt": format!("2010-{:02}-01T00:00:00.0000000", (i % 12) + 1)}),
            md("Employees"),
        ));
    }
    for i in 1..=200u32 {
        let lines: Vec<Value> = (0..(i % 3 + 1))
            .map(|l| json!({"Product": format!("products/{}", (i * 7 + l) % 77 + 1),
                "Quantity": (i + l) % 10 + 1, "PricePerUnit": ((i * 13 + l * 5) % 5000) as f64 / 100.0}))
            .collect();
        v.push((
            format!("orders/{i}"),
            json!({"Company": format!("companies/{}", (i * 11) % 90 + 1),
                "Employee": format!("employees/{}", i % 10 + 1),
                "OrderedAt": format!("2016-{:02}-{:02}T10:00:00.0000000", i % 12 + 1, i % 28 + 1),
                "Freight": ((i * 97) % 10000) as f64 / 100.0, "Lines": lines}),
            md("Orders"),
        ));
    }
    v
}

fn payroll_docs() -> Vec<(String, Value, Map<String, Value>)> {
    (1..=20u32)
        .map(|i| {
            (
                format!("payslips/{i}"),
                json!({"Employee": format!("employees/{}", i % 10 + 1), "Month": format!("2016-{:02}", i % 12 + 1),
                    "Gross": 3000 + i * 125, "Net": 2100 + i * 90}),
                md("Payslips"),
            )
        })
        .collect()
}

fn orders2019_docs() -> Vec<(String, Value, Map<String, Value>)> {
    (1..=6u32)
        .map(|i| {
            (
                format!("orders/{i}"),
                json!({"Company": format!("companies/{i}"), "OrderedAt": format!("2019-0{i}-15T09:30:00.0000000"), "Total": i * 42}),
                md("Orders"),
            )
        })
        .collect()
}

/// A demo database definition: (name, settings, secured settings, documents).
type DemoDb = (
    &'static str,
    Map<String, Value>,
    Map<String, Value>,
    Vec<(String, Value, Map<String, Value>)>,
);

fn demo_dbs() -> Vec<DemoDb> {
    vec![
        (
            "Northwind",
            settings(&[
                ("Raven/ActiveBundles", ""),
                ("Raven/StorageTypeName", "voron"),
                ("Raven/Voron/AllowIncrementalBackups", "true"),
                ("Raven/DataDir", "~/Northwind"),
            ]),
            Map::new(),
            northwind_docs(),
        ),
        (
            "Payroll",
            settings(&[
                ("Raven/ActiveBundles", "Encryption"),
                ("Raven/StorageTypeName", "voron"),
                ("Raven/DataDir", "~/Payroll"),
            ]),
            settings(&[
                ("Raven/Encryption/Key", DEMO_ENCRYPTION_KEY),
                (
                    "Raven/Encryption/Algorithm",
                    "System.Security.Cryptography.AesManaged, mscorlib",
                ),
                (
                    "Raven/AWSSecretKey",
                    "demo-aws-secret-wJalrXUtnFEMI-K7MDENG-bPxRfiCY",
                ),
            ]),
            payroll_docs(),
        ),
        (
            "Orders2019",
            settings(&[
                ("Raven/ActiveBundles", ""),
                ("Raven/StorageTypeName", "voron"),
                ("Raven/DataDir", "~/Orders2019"),
            ]),
            Map::new(),
            orders2019_docs(),
        ),
    ]
}

/// Seeds the demo set. With `force`, existing demo databases are wiped and
/// re-seeded; otherwise only absent ones are created.
pub fn seed(app: &App, force: bool) -> io::Result<()> {
    for (name, settings, secured, docs) in demo_dbs() {
        if app.registry_doc(Kind::Db, name).is_some() && !force {
            continue;
        }
        app.register(Kind::Db, name, &settings, &secured, false)?;
        let Some(r) = app.resource(Kind::Db, name) else {
            return Err(io::Error::other(format!(
                "cannot open demo database {name}"
            )));
        };
        r.store.clear()?;
        r.store.put_many(docs)?;
    }
    for name in DEMO_FILESYSTEMS {
        if app.registry_doc(Kind::Fs, name).is_some() && !force {
            continue;
        }
        let s = settings(&[
            ("Raven/FileSystem/DataDir", "~/Media"),
            ("Raven/ActiveBundles", ""),
        ]);
        app.register(Kind::Fs, name, &s, &Map::new(), false)?;
        let Some(r) = app.resource(Kind::Fs, name) else {
            return Err(io::Error::other(format!(
                "cannot open demo file system {name}"
            )));
        };
        r.store.clear()?;
        if let Some(c) = &r.config {
            c.clear()?;
        }
        for (file, content) in [
            (
                "images/logo.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
            ),
            (
                "docs/readme.txt",
                "Media demo file system of the RavenDB 3.x devserver.\n",
            ),
        ] {
            r.store
                .put(file, file_value(content.as_bytes()), Map::new())?;
        }
    }
    Ok(())
}
