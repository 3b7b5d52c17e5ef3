//! The README and the manual under `docs/`: the README stays a short first page that starts
//! with the two set-up commands, every link between the pages leads somewhere, markdownlint
//! passes on all of them, and the commands the manual names exist.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use ftr_wizard::cli::Cli;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// README.md and every page under docs/, as paths relative to the repository.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("a docs/ folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| p.strip_prefix(root()).unwrap().to_path_buf())
        .collect();
    docs.sort();
    assert!(docs.len() >= 8, "the manual has its pages: {docs:?}");
    pages.extend(docs);
    pages
}

/// The lines outside fenced code blocks, with their line numbers.
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.push((i + 1, line));
        }
    }
    out
}

/// The lines of the fenced code blocks whose info string is `lang`.
fn code_lines<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    let mut inside: Option<bool> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            inside = match inside {
                None => Some(info.trim() == lang),
                Some(_) => None,
            };
            continue;
        }
        if inside == Some(true) {
            out.push(line);
        }
    }
    out
}

/// Text with its inline code spans blanked out, so `[a](b)` inside one is not a link.
fn without_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(' ');
        } else if in_code {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The targets of the inline links `[text](target)` on a line.
fn link_targets(line: &str) -> Vec<String> {
    let line = without_code_spans(line);
    let mut out = Vec::new();
    let mut rest = line.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let Some(end) = after.find(')') else { break };
        out.push(after[..end].trim().to_string());
        rest = &after[end..];
    }
    out
}

/// GitHub's anchor for a heading: lower case, letters, digits, `-` and `_` kept, spaces as
/// `-`, everything else dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a page's headings, a repeated one numbered as GitHub does (`-1`, `-2`).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for (_, line) in prose(text) {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(&line[hashes..]);
        let mut anchor = base.clone();
        let mut n = 0;
        while seen.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        seen.insert(anchor);
    }
    seen
}

#[test]
fn the_readme_is_a_short_first_page_with_the_two_commands_on_top() {
    let readme = read(&root().join("README.md"));
    let lines = readme.lines().count();
    assert!(
        lines < 250,
        "README.md has {lines} lines; the manual is docs/"
    );
    let top: String = readme.lines().take(8).collect::<Vec<_>>().join("\n");
    assert!(top.contains("cargo run --release"), "{top}");
    // The command CI runs on a fresh clone (.ci/run), as the README gives it.
    assert!(top.contains("bash tests/run.sh"), "{top}");
    assert!(read(&root().join(".ci/run")).contains("exec bash tests/run.sh"));
    // One screen capture, before the Install section.
    let install = readme.find("\n## Install\n").expect("an Install section");
    assert_eq!(readme.matches("```text\n").count(), 1, "one capture");
    assert!(readme.find("```text\n").unwrap() < install);
    for page in pages().iter().skip(1) {
        let link = format!("]({})", page.display());
        assert!(
            readme.contains(&link),
            "the README links to {}",
            page.display()
        );
    }
}

#[test]
fn every_link_in_the_readme_and_the_manual_leads_somewhere() {
    let mut checked = 0;
    let mut broken = Vec::new();
    for page in pages() {
        let text = read(&root().join(&page));
        let dir = root().join(&page).parent().unwrap().to_path_buf();
        for (number, line) in prose(&text) {
            for target in link_targets(line) {
                if target.starts_with("https://") || target.starts_with("http://") {
                    continue;
                }
                checked += 1;
                let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
                let path = if file.is_empty() {
                    root().join(&page)
                } else {
                    dir.join(file)
                };
                let at = format!("{}:{number}: {target}", page.display());
                if !path.exists() {
                    broken.push(format!("{at}: no such file"));
                    continue;
                }
                if !anchor.is_empty() && !anchors(&read(&path)).contains(anchor) {
                    broken.push(format!("{at}: no such heading"));
                }
            }
        }
    }
    assert!(checked > 40, "only {checked} links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_readme_and_the_manual_pass_markdownlint() {
    // From the repository, so `.markdownlint.jsonc` applies.
    crate::common::assert_markdownlint(&root(), &pages());
}

/// Every `ftr SUB` in the manual's shell examples and in the Commands table is a subcommand
/// `ftr` has.
#[test]
fn the_manual_names_only_real_subcommands() {
    let cmd = Cli::command();
    let real: BTreeSet<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
    let mut named = Vec::new();
    for page in pages() {
        let text = read(&root().join(&page));
        for line in code_lines(&text, "sh") {
            // Leave out comments; a command runs `ftr` first, on its line or after `&&`, `|`,
            // `;` or `(`, then names its subcommand.
            let code = line.split(" # ").next().unwrap();
            if code.trim_start().starts_with('#') {
                continue;
            }
            for command in code.split(['&', '|', ';', '(']) {
                let mut words = command.split_whitespace();
                if words.next() != Some("ftr") {
                    continue;
                }
                if let Some(sub) = words
                    .next()
                    .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
                {
                    named.push((page.clone(), sub.to_string()));
                }
            }
        }
    }
    let cli = read(&root().join("docs/cli.md"));
    for line in cli.lines().filter(|l| l.starts_with("| `ftr ")) {
        let sub = line["| `ftr ".len()..]
            .split(|c: char| !(c.is_ascii_lowercase() || c == '-'))
            .next()
            .unwrap();
        named.push((PathBuf::from("docs/cli.md"), sub.to_string()));
    }
    assert!(named.len() > 30, "{named:?}");
    let unknown: Vec<_> = named
        .iter()
        .filter(|(_, sub)| !real.contains(sub.as_str()))
        .collect();
    assert!(unknown.is_empty(), "not subcommands of ftr: {unknown:?}");
    let shown: BTreeSet<&str> = named.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(shown, real, "the manual shows every subcommand");
}
