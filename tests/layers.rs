//! The core's stages depend downwards only: values → dataset → sample → ingest → analysis → clv →
//! report → export. A file may use its own stage and the stages before it, never one after (a
//! metric never imports a page aggregate; the reader never imports what is computed from it). Tests
//! inside a file may use anything, so each file is read up to its `#[cfg(test)]`, and a file of tests
//! (`tests.rs`) is not read.

use std::path::Path;

const ORDER: [&str; 8] = ["values", "dataset", "sample", "ingest", "analysis", "clv", "report", "export"];

/// The stage of a file under `src/core`: its folder, or its name for a file at the root.
fn stage_of(relative: &Path) -> String {
    let first = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

fn rank(stage: &str) -> Option<usize> {
    ORDER.iter().position(|&s| s == stage)
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_core_stage_uses_only_itself_and_the_stages_before_it() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut all = Vec::new();
    files(&core, &mut all);
    let mut wrong = Vec::new();
    let mut seen = 0;
    for path in all {
        let relative = path.strip_prefix(&core).unwrap();
        // The root's module list, and tests kept in files of their own.
        if relative == Path::new("mod.rs") || relative.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let stage = stage_of(relative);
        let own = rank(&stage).unwrap_or_else(|| panic!("{} is in no stage of {ORDER:?}", relative.display()));
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate().take_while(|(_, l)| !l.starts_with("#[cfg(test)]")) {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("crate::core::") {
                let used: String = line[at + 13..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                seen += 1;
                match rank(&used) {
                    Some(r) if r <= own => {}
                    _ => wrong.push(format!("{}:{}: {stage} uses {used}", relative.display(), n + 1)),
                }
            }
        }
    }
    assert!(seen > 50, "the check found only {seen} uses of crate::core: is it reading the files?");
    assert!(wrong.is_empty(), "imports against the stages' order:\n{}", wrong.join("\n"));
}
