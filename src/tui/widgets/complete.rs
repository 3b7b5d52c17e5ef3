//! Tab completion of typed file paths: owns the shell-like rule that extends a partly typed
//! path to the longest common prefix of the matching folder entries and lists the candidates.

use std::fs;
use std::path::{Path, PathBuf};

use super::fit::{clip_end, width_of};

/// Most candidates returned by [`complete`].
const MAX_CANDIDATES: usize = 50;

/// The result of completing a typed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The input extended by the longest common prefix of the matches (a trailing "/" when the
    /// single match is a directory).
    pub text: String,
    /// Matching entry names in the folder (directories with a trailing "/"), sorted, at most 50.
    pub candidates: Vec<String>,
    /// How many more names match than `candidates` holds.
    pub beyond: usize,
}

/// Completes `input`.
///
/// Relative paths resolve against `base`; "~/" expands to `$HOME`; absolute paths are used as
/// they are. Hidden entries (starting with '.') are only offered when the typed name part
/// starts with '.'. An unreadable or missing folder gives no candidates and leaves the text
/// unchanged. Entries whose names are not UTF-8 are skipped. Never panics.
pub fn complete(input: &str, base: &Path) -> Completion {
    let unchanged = || Completion {
        text: input.to_string(),
        candidates: Vec::new(),
        beyond: 0,
    };

    // A bare "~" completes to the home folder, like a shell.
    if input == "~" {
        return match home() {
            Some(home) if home.is_dir() => Completion {
                text: "~/".to_string(),
                candidates: Vec::new(),
                beyond: 0,
            },
            _ => unchanged(),
        };
    }

    let split = input.rfind(is_separator).map_or(0, |index| index + 1);
    let (folder_part, name_part) = input.split_at(split);
    let Some(folder) = resolve_folder(folder_part, base) else {
        return unchanged();
    };
    let Ok(read) = fs::read_dir(&folder) else {
        return unchanged();
    };

    let show_hidden = name_part.starts_with('.');
    let mut matches: Vec<(String, bool)> = read
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            if !name.starts_with(name_part) || (name.starts_with('.') && !show_hidden) {
                return None;
            }
            // Follow symbolic links so a link to a folder completes like a folder.
            let is_dir = fs::metadata(entry.path())
                .map(|meta| meta.is_dir())
                .or_else(|_| entry.file_type().map(|kind| kind.is_dir()))
                .unwrap_or(false);
            Some((name, is_dir))
        })
        .collect();
    matches.sort();

    let text = match matches.as_slice() {
        [] => return unchanged(),
        [(name, is_dir)] => {
            let slash = if *is_dir { "/" } else { "" };
            format!("{folder_part}{name}{slash}")
        }
        [(first, _), rest @ ..] => {
            let prefix = rest.iter().fold(first.as_str(), |prefix, (name, _)| {
                common_prefix(prefix, name)
            });
            // Every match starts with the typed name, so the prefix is never shorter.
            let prefix = if prefix.len() >= name_part.len() {
                prefix
            } else {
                name_part
            };
            format!("{folder_part}{prefix}")
        }
    };
    let beyond = matches.len().saturating_sub(MAX_CANDIDATES);
    let candidates = matches
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|(name, is_dir)| if is_dir { format!("{name}/") } else { name })
        .collect();
    Completion {
        text,
        candidates,
        beyond,
    }
}

/// The candidates laid out to read under the input: as many names to a row as fit `width`
/// cells, two spaces apart, in at most `rows` rows; when they do not all fit, the last row ends
/// with "… N more" (counting the `beyond` names not among the candidates too).
pub fn listing(candidates: &[String], beyond: usize, width: usize, rows: usize) -> Vec<String> {
    let mut out = Vec::new();
    if width == 0 {
        return out;
    }
    let mut next = 0;
    while next < candidates.len() && out.len() < rows {
        let last_row = out.len() + 1 == rows;
        let mut row = String::new();
        while let Some(name) = candidates.get(next) {
            // A file name reaches the terminal only escaped.
            let name = clip_end(&crate::safe::terminal(name), width);
            let sep = if row.is_empty() { 0 } else { 2 };
            let mut need = width_of(&row) + sep + width_of(&name);
            // The last row keeps room for what it cannot show.
            let left = candidates.len() - next - 1 + beyond;
            if last_row && left > 0 {
                need += width_of(&more(left)) + 2;
            }
            if need > width {
                break;
            }
            if sep > 0 {
                row.push_str("  ");
            }
            row.push_str(&name);
            next += 1;
        }
        if last_row && next < candidates.len() {
            if !row.is_empty() {
                row.push_str("  ");
            }
            row.push_str(&more(candidates.len() - next + beyond));
            out.push(clip_end(&row, width));
            break;
        }
        out.push(row);
    }
    // Every candidate shown, but more names match than were kept: say how many.
    if next == candidates.len() && beyond > 0 && rows > 0 {
        let full = out.len() == rows;
        let tail = more(beyond);
        match out.last_mut() {
            Some(last) if full || width_of(last) + 2 + width_of(&tail) <= width => {
                *last = clip_end(&format!("{last}  {tail}"), width);
            }
            _ => out.push(clip_end(&tail, width)),
        }
    }
    out
}

/// What a listing says for `n` candidates it cannot show.
fn more(n: usize) -> String {
    format!("… {n} more")
}

fn is_separator(c: char) -> bool {
    c == '/' || std::path::is_separator(c)
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .map(PathBuf::from)
}

/// The folder the typed folder part names, or `None` when "~" cannot be expanded.
fn resolve_folder(folder_part: &str, base: &Path) -> Option<PathBuf> {
    if folder_part.is_empty() {
        return Some(base.to_path_buf());
    }
    let after_tilde = folder_part
        .strip_prefix('~')
        .and_then(|rest| rest.strip_prefix(is_separator));
    if let Some(after) = after_tilde {
        return home().map(|home| home.join(after));
    }
    let path = Path::new(folder_part);
    if path.is_absolute() {
        Some(path.to_path_buf())
    } else {
        Some(base.join(path))
    }
}

/// The longest common prefix of `a` and `b`, cut on a character boundary.
fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let len = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or_else(|| a.len().min(b.len()), |((index, _), _)| index);
    &a[..len]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;

    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        File::create(dir.path().join("report.pdf")).expect("file");
        File::create(dir.path().join("readme.md")).expect("file");
        File::create(dir.path().join("unique.txt")).expect("file");
        File::create(dir.path().join(".secret")).expect("file");
        fs::create_dir(dir.path().join("sub")).expect("dir");
        File::create(dir.path().join("sub").join("file-one.txt")).expect("file");
        File::create(dir.path().join("sub").join("other.txt")).expect("file");
        dir
    }

    #[test]
    fn unique_match_completes_fully() {
        let dir = fixture();
        let done = complete("un", dir.path());
        assert_eq!(done.text, "unique.txt");
        assert_eq!(done.candidates, ["unique.txt"]);
    }

    #[test]
    fn directory_gets_a_slash() {
        let dir = fixture();
        let done = complete("su", dir.path());
        assert_eq!(done.text, "sub/");
        assert_eq!(done.candidates, ["sub/"]);
    }

    #[test]
    fn two_matches_extend_to_common_prefix() {
        let dir = fixture();
        let done = complete("r", dir.path());
        assert_eq!(done.text, "re");
        assert_eq!(done.candidates, ["readme.md", "report.pdf"]);
    }

    #[test]
    fn more_matches_than_kept_are_counted() {
        let dir = fixture();
        for i in 0..55 {
            fs::write(dir.path().join(format!("scan-{i:02}.csv")), "").unwrap();
        }
        let done = complete("scan-", dir.path());
        assert_eq!(done.candidates.len(), MAX_CANDIDATES);
        assert_eq!(done.beyond, 5);
        assert_eq!(done.candidates[0], "scan-00.csv");
    }

    #[test]
    fn no_match_leaves_input() {
        let dir = fixture();
        let done = complete("zzz", dir.path());
        assert_eq!(done.text, "zzz");
        assert!(done.candidates.is_empty());
        let missing = complete("nowhere/x", dir.path());
        assert_eq!(missing.text, "nowhere/x");
        assert!(missing.candidates.is_empty());
    }

    #[test]
    fn hidden_entries_only_when_typed() {
        let dir = fixture();
        assert!(
            !complete("", dir.path())
                .candidates
                .contains(&".secret".to_string())
        );
        let done = complete(".s", dir.path());
        assert_eq!(done.text, ".secret");
        assert_eq!(done.candidates, [".secret"]);
    }

    #[test]
    fn nested_path_completes_inside_folder() {
        let dir = fixture();
        let done = complete("sub/fi", dir.path());
        assert_eq!(done.text, "sub/file-one.txt");
        assert_eq!(done.candidates, ["file-one.txt"]);
    }

    #[test]
    fn absolute_path_is_used_as_is() {
        let dir = fixture();
        let input = format!("{}/sub/o", dir.path().display());
        let done = complete(&input, Path::new("/nonexistent-base"));
        assert_eq!(done.text, format!("{}/sub/other.txt", dir.path().display()));
    }

    #[test]
    fn empty_input_lists_the_folder() {
        let dir = fixture();
        let done = complete("", dir.path());
        assert_eq!(done.text, "");
        assert_eq!(
            done.candidates,
            ["readme.md", "report.pdf", "sub/", "unique.txt"]
        );
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let dir = fixture();
        for input in ["/", "//", "~", "~/", "~nobody/x", "é", "sub//", "./", "../"] {
            let _ = complete(input, dir.path());
        }
        assert_eq!(complete("./un", dir.path()).text, "./unique.txt");
    }

    #[test]
    fn common_prefix_respects_char_boundaries() {
        assert_eq!(common_prefix("éa", "éb"), "é");
        assert_eq!(common_prefix("é", "è"), "");
        assert_eq!(common_prefix("abc", "ab"), "ab");
    }

    #[test]
    fn a_listing_fills_its_rows_and_counts_what_it_cannot_show() {
        let names: Vec<String> = ["aa", "bb", "cc", "dd", "ee"].map(String::from).to_vec();
        assert_eq!(listing(&names, 0, 20, 3), ["aa  bb  cc  dd  ee"]);
        assert_eq!(listing(&names, 0, 10, 3), ["aa  bb  cc", "dd  ee"]);
        assert_eq!(listing(&names, 0, 10, 1), ["… 5 more"]);
        assert_eq!(listing(&names, 0, 16, 1), ["aa  bb  … 3 more"]);
        assert_eq!(listing(&names, 0, 15, 1), ["aa  … 4 more"]);
        assert_eq!(listing(&names, 0, 16, 2), ["aa  bb  cc  dd", "ee"]);
        assert_eq!(listing(&names, 0, 10, 0), Vec::<String>::new());
        // Names matched beyond the candidates kept are counted too.
        assert_eq!(listing(&names, 45, 10, 1), ["… 50 more"]);
        assert_eq!(
            listing(&names, 45, 16, 2),
            ["aa  bb  cc  dd", "ee  … 45 more"]
        );
        assert_eq!(
            listing(&names, 45, 30, 1),
            ["aa  bb  cc  dd  ee  … 45 more"]
        );
        // A name wider than the row is cut.
        assert_eq!(listing(&["abcdefgh".into()], 0, 5, 2), ["abcd…"]);
    }
}
