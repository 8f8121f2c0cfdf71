//! The list a department pins on its wall: every task one agency answers
//! for, with its role and targets.
//!
//! ```text
//! cargo run --example agency_duties -- fixtures/00_zhejiang-2023-fengong-fragment.txt 省经信厅
//! ```
//!
//! Names are matched through the built-in alias table (`省经济和信息化厅`
//! finds `省经信厅`); tasks assigned to a group the agency may belong to
//! (`有关部门`, `各设区市政府`) are listed after a `?`.

use std::process::ExitCode;
use zhengce::AgencyNames;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(agency)) = (args.next(), args.next()) else {
        eprintln!("usage: agency_duties FILE AGENCY");
        return ExitCode::from(2);
    };
    match run(&path, &agency) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("agency_duties: {path}: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(path: &str, agency: &str) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let (_, parsed) = zhengce::parse_bytes(&bytes).map_err(|e| e.to_string())?;
    let duties = parsed.document.duties(agency, &AgencyNames::builtin());
    println!("{agency}: {} tasks", duties.len());
    for duty in &duties {
        let group = duty.assignment.group();
        let mark = if group.is_some() { "?" } else { " " };
        let role = duty.assignment.role();
        let task = &duty.task;
        let number = task.number.as_deref().unwrap_or("¶");
        println!(
            "{mark} {}{number} [{role}] {}",
            task.path.join(""),
            task.text
        );
        if let Some(group) = group {
            println!("      via {group}");
        }
        for t in &task.targets {
            println!("      target: {}", t.text);
        }
    }
    Ok(())
}
