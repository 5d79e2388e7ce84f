//! The crate's layering, enforced: each folder (top-level module) of `src/` imports only folders
//! of layers below its own, and no file imports its way back to itself (no cycle). The layers are
//! written down in `docs/ARCHITECTURE.md`; this test reads every `src/` file's `crate::` and
//! `super::` paths (comments left out) and fails naming the file, the line and the import.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Top to bottom. A module imports only modules of later rows; modules of one row never import
/// each other.
const LAYERS: &[&[&str]] = &[
    &["app", "cli"],
    &["telegram"],
    &["listeners", "ops"],
    &["engine", "delivery"],
    &["texts"],
    &["sources"],
    &["metrics"],
    &["store"],
    &["rules", "config"],
    &["oxapay"],
    &["money", "chart"],
    &["telemetry", "clock"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|row| row.contains(&module))
}

/// One import found in a file: the line and the module path it names (as written, resolved to
/// `crate::` form).
#[derive(Debug, Clone)]
struct Import {
    line: usize,
    path: Vec<String>,
}

/// The source without comments (doc links name modules without importing them) and without
/// string literals' contents.
fn strip_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let bytes: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == '*' && bytes[i + 1] == '/') {
                if bytes[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < bytes.len() && bytes[i] != '"' {
                if bytes[i] == '\\' {
                    i += 1;
                } else if bytes[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            out.push('"');
            i += 1;
        } else if c == '\'' && next.is_some_and(|n| n != '\\') && bytes.get(i + 2) == Some(&'\'') {
            // A char literal such as '"' must not open a string.
            out.push_str("' '");
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Every `crate::…` and `super::…` path in `src`, with `use` groups (`crate::a::{b, c::D}`)
/// expanded.
fn imports(src: &str) -> Vec<Import> {
    let text = strip_comments(src);
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = |word: &str| {
            let w: Vec<char> = word.chars().collect();
            chars[i..].starts_with(&w)
                && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
        };
        let root = if starts("crate::") {
            Some("crate")
        } else if starts("super::") {
            Some("super")
        } else {
            None
        };
        if let Some(root) = root {
            let line = chars[..i].iter().filter(|&&c| c == '\n').count() + 1;
            let (paths, end) = parse_path(&chars, i);
            found.extend(
                paths
                    .into_iter()
                    .filter(|p| p.first().is_some_and(|r| r == root))
                    .map(|path| Import { line, path }),
            );
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

/// Parses a path starting at `i` (`a::b::{c, d::e}`), returning each full path (as segments) and
/// where it ended.
fn parse_path(chars: &[char], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i < chars.len() && chars[i] == '{' {
            let mut out = Vec::new();
            i += 1;
            loop {
                while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                    i += 1;
                }
                if i >= chars.len() || chars[i] == '}' {
                    i += 1;
                    break;
                }
                let (inner, end) = parse_path(chars, i);
                for p in inner {
                    let mut full = prefix.clone();
                    full.extend(p);
                    out.push(full);
                }
                i = end;
            }
            return (out, i);
        }
        let start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        if start == i {
            return (vec![prefix], i);
        }
        prefix.push(chars[start..i].iter().collect());
        if chars[i..].starts_with(&[':', ':']) {
            i += 2;
        } else {
            // `as alias`, `;`, `(`, … end the path.
            return (vec![prefix], i);
        }
    }
}

/// The module path of a file under `src/` (`src/store/access.rs` → `[store, access]`,
/// `src/store/mod.rs` → `[store]`).
fn module_of(file: &Path, src: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The file an absolute module path lands in: the deepest segment that is a file or a folder.
fn file_of(path: &[String], src: &Path) -> Option<PathBuf> {
    let mut best = None;
    let mut dir = src.to_path_buf();
    for seg in path {
        let file = dir.join(format!("{seg}.rs"));
        let folder = dir.join(seg);
        if file.is_file() {
            best = Some(file);
            break;
        } else if folder.join("mod.rs").is_file() {
            best = Some(folder.join("mod.rs"));
            dir = folder;
        } else {
            break;
        }
    }
    best
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

struct Edge {
    from: PathBuf,
    to: PathBuf,
    line: usize,
    written: String,
}

/// Every import between two files of the library (`main.rs` is the binary: it imports the library
/// by name, not by `crate::`).
fn edges(src: &Path) -> Vec<Edge> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("main.rs")) {
        let module = module_of(file, src);
        let text = fs::read_to_string(file).unwrap();
        for import in imports(&text) {
            let mut absolute: Vec<String> = Vec::new();
            let mut rest = import.path.iter();
            match rest.next().map(String::as_str) {
                Some("crate") => {}
                Some("super") => {
                    // `super` names the file's folder (of `a/b.rs`: `a`; of `a/mod.rs`: the
                    // crate root); each further `super` one folder up. (Inside an inline
                    // `mod tests`, `super` is the file itself: such paths land in the folder's
                    // `mod.rs`, which the rules below treat as the file's own folder.)
                    absolute = module.clone();
                    absolute.pop();
                    let mut more = rest.clone().peekable();
                    while more.next_if(|s| *s == "super").is_some() {
                        absolute.pop();
                        rest.next();
                    }
                }
                _ => continue,
            }
            absolute.extend(rest.cloned());
            if let Some(to) = file_of(&absolute, src)
                && &to != file
            {
                out.push(Edge {
                    from: file.clone(),
                    to,
                    line: import.line,
                    written: import.path.join("::"),
                });
            }
        }
    }
    out
}

fn top(file: &Path, src: &Path) -> String {
    module_of(file, src)
        .first()
        .cloned()
        .unwrap_or_else(|| "lib".into())
}

fn display(file: &Path, src: &Path) -> String {
    format!("src/{}", file.strip_prefix(src).unwrap().display())
}

#[test]
fn every_folder_is_in_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    for entry in fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if matches!(name.as_str(), "lib" | "main") {
            continue;
        }
        if layer_of(&name).is_none() {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "modules in no layer (add them to LAYERS here and to docs/ARCHITECTURE.md): {missing:?}"
    );
}

#[test]
fn no_import_runs_up_or_across_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for e in edges(&src) {
        let (from, to) = (top(&e.from, &src), top(&e.to, &src));
        if from == to || from == "lib" {
            continue;
        }
        let (Some(a), Some(b)) = (layer_of(&from), layer_of(&to)) else {
            continue;
        };
        if b <= a {
            wrong.push(format!(
                "{}:{}: `{}` — {from} may not import {to} ({})",
                display(&e.from, &src),
                e.line,
                e.written,
                if a == b {
                    "same layer"
                } else {
                    "a layer above"
                }
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layer order (docs/ARCHITECTURE.md):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_file_imports_its_way_back_to_itself() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // A folder's `mod.rs` declares and re-exports its files, and those files use the folder's
    // shared items through `super`: that pair is the folder's own structure, not a cycle.
    let parent_pair = |a: &Path, b: &Path| {
        let facade_of = |f: &Path| {
            if f.ends_with("mod.rs") {
                f.parent().unwrap().parent().unwrap().join("mod.rs")
            } else {
                f.parent().unwrap().join("mod.rs")
            }
        };
        facade_of(a) == b || facade_of(b) == a
    };
    let mut graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut witness: BTreeMap<(PathBuf, PathBuf), (usize, String)> = BTreeMap::new();
    for e in edges(&src) {
        if parent_pair(&e.from, &e.to) || e.from.ends_with("lib.rs") {
            continue;
        }
        graph
            .entry(e.from.clone())
            .or_default()
            .insert(e.to.clone());
        witness.entry((e.from, e.to)).or_insert((e.line, e.written));
    }
    // Depth-first search for a back edge; the first cycle found is printed whole.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &PathBuf,
        graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        marks: &mut BTreeMap<PathBuf, Mark>,
        stack: &mut Vec<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        marks.insert(node.clone(), Mark::Open);
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next) {
                Some(Mark::Open) => {
                    let start = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(c) = visit(next, graph, marks, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        marks.insert(node.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if marks.contains_key(node) {
            continue;
        }
        let mut stack = Vec::new();
        if let Some(cycle) = visit(node, &graph, &mut marks, &mut stack) {
            let steps: Vec<String> = cycle
                .windows(2)
                .map(|w| {
                    let (line, written) = &witness[&(w[0].clone(), w[1].clone())];
                    format!("{}:{line}: `{written}`", display(&w[0], &src))
                })
                .collect();
            panic!("a cycle of imports:\n{}", steps.join("\n  → "));
        }
    }
}

#[test]
fn the_reader_finds_nested_and_grouped_paths() {
    let found = imports(
        "use crate::store::{self, Actor, audit::{Change, record}};\n\
         // crate::telegram in a comment\n\
         let s = \"crate::texts in a string\";\n\
         fn f() { crate::metrics::Component::Checker; super::x::y(); }",
    );
    let paths: Vec<String> = found.iter().map(|i| i.path.join("::")).collect();
    assert_eq!(
        paths,
        vec![
            "crate::store::self",
            "crate::store::Actor",
            "crate::store::audit::Change",
            "crate::store::audit::record",
            "crate::metrics::Component::Checker",
            "super::x::y",
        ]
    );
    assert_eq!(found[4].line, 4);
}
