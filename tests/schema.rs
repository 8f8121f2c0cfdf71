//! The JSON Schemas in `schema/` are the ones the crate generates, and the
//! converter's output for every fixture validates against them.
//!
//! Run with `cargo test --features schema`. After a change to the model,
//! `ZHENGCE_WRITE_SCHEMA=1 cargo test --features schema --test schema`
//! writes the files anew; review the diff like a snapshot.

#![cfg(feature = "schema")]

mod converter;

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

/// The converter's `--agency` output, JSON and JSONL, for every fixture
/// and an agency named in it (the first of its first task that has one),
/// validates against the shipped `--agency` schemas.
#[test]
fn agency_schemas_match_the_converters_output() {
    let whole = shipped("agency.schema.json", &zhengce::schema::agency());
    let whole = jsonschema::validator_for(&whole).expect("a valid JSON Schema");
    let line = shipped(
        "agency-record.schema.json",
        &zhengce::schema::agency_record(),
    );
    let line = jsonschema::validator_for(&line).expect("a valid JSON Schema");
    let mut duties = 0;
    for path in fixtures() {
        let bytes = std::fs::read(&path).expect("fixture is readable");
        let (_, parsed) = zhengce::parse_bytes(&bytes).expect("fixture is text");
        let Some(agency) = parsed
            .document
            .tasks()
            .iter()
            .find_map(|t| t.agencies().next())
        else {
            continue;
        };
        let file = path.to_str().expect("a UTF-8 path");
        let json = converter::ok(converter::run(
            &["-q", "--format", "json", "--agency", &agency.name, file],
            None,
        ));
        let value: serde_json::Value = serde_json::from_str(&json).expect("JSON output");
        assert_valid(&whole, &value, &path);
        assert!(!value["duties"].as_array().expect("duties").is_empty());
        let jsonl = converter::ok(converter::run(
            &["-q", "--format", "jsonl", "--agency", &agency.name, file],
            None,
        ));
        for l in jsonl.lines() {
            let value: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            assert_valid(&line, &value, &path);
            duties += 1;
        }
    }
    assert!(duties > 20, "only {duties} duties checked");
    // A line without its assignment is not an --agency line.
    let schema = serde_json::to_value(zhengce::schema::agency_record()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let record = zhengce::parse("1.新增企业20家。\n责任单位：省经信厅\n")
        .document
        .task_records()
        .remove(0);
    let mut value = serde_json::to_value(&record).unwrap();
    assert!(!validator.is_valid(&value));
    value["assignment"] =
        serde_json::json!({"via": "named", "role": "responsible", "written": "省经信厅"});
    assert!(validator.is_valid(&value));
}
