//! The JSON Schemas in `schema/` are the ones the crate generates, and the
//! converter's output for every fixture validates against them.
//!
//! Run with `cargo test --features schema`. After a change to the model,
//! `ZHENGCE_WRITE_SCHEMA=1 cargo test --features schema --test schema`
//! writes the files anew; review the diff like a snapshot.

#![cfg(feature = "schema")]

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped(name: &str, generated: &schemars::Schema) -> serde_json::Value {
    let path = root().join("schema").join(name);
    let text = serde_json::to_string_pretty(generated).expect("schema serializes") + "\n";
    if std::env::var_os("ZHENGCE_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &text).expect("schema file is writable");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; write it with ZHENGCE_WRITE_SCHEMA=1",
            path.display()
        )
    });
    assert_eq!(
        on_disk,
        text,
        "{} is out of date: run ZHENGCE_WRITE_SCHEMA=1 cargo test --features schema --test schema",
        path.display()
    );
    serde_json::from_str(&on_disk).expect("schema file is JSON")
}

fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .expect("fixtures/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "fixtures are missing");
    paths
}

fn assert_valid(validator: &jsonschema::Validator, instance: &serde_json::Value, what: &Path) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", what.display());
}

#[test]
fn document_schema_matches_every_fixture() {
    let schema = shipped("zhengce.schema.json", &zhengce::schema::document());
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    for path in fixtures() {
        let bytes = std::fs::read(&path).expect("fixture is readable");
        let (decoded, parsed) = zhengce::parse_bytes(&bytes).expect("fixture is text");
        // The converter's `--format json` shape.
        let output = serde_json::json!({
            "encoding": decoded.encoding,
            "document": parsed.document,
            "diagnostics": parsed.diagnostics,
        });
        assert_valid(&validator, &output, &path);
    }
}

#[test]
fn task_record_schema_matches_every_fixture() {
    let schema = shipped("task-record.schema.json", &zhengce::schema::task_record());
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let mut records = 0;
    for path in fixtures() {
        let bytes = std::fs::read(&path).expect("fixture is readable");
        let (_, parsed) = zhengce::parse_bytes(&bytes).expect("fixture is text");
        for record in parsed.document.task_records() {
            let value = serde_json::to_value(&record).expect("record serializes");
            assert_valid(&validator, &value, &path);
            records += 1;
        }
    }
    assert!(records > 100, "only {records} records checked");
}

#[test]
fn the_schema_rejects_what_it_should() {
    let schema = zhengce::schema::task_record();
    let schema = serde_json::to_value(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let bad = serde_json::json!({"path": "一、", "number": 1});
    assert!(!validator.is_valid(&bad));
}
