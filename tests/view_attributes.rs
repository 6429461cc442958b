//! Guards the `view!` macros of `src/` against unbraced attribute expressions.
//!
//! Leptos' `view!` ends an opening tag at the first `>` outside braces, so
//! `disabled=p + 1 >= pages` ends the tag at `>`: the rest of the tag is printed as text and
//! the attribute is `p + 1` (issue 13, defect 1: the segment drill-down's dead "next page"
//! button reading `= pages on : click = … >下一页`). An attribute value that is more than one
//! term (an operator, a comparison, a second word) must be written in braces: `disabled={p == 0}`.
//! This test reads every `.rs` file under `src/`, finds each `view!` block and each opening
//! tag in it, and fails on any unbraced attribute value that goes on past its first term.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Index just past the string literal starting at `i` (a `"`), honouring escapes.
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Index just past the bracket group opening at `i`, skipping strings inside it.
fn skip_group(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0i32;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i = skip_string(b, i);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

fn line_of(b: &[u8], i: usize) -> usize {
    b[..i.min(b.len())].iter().filter(|&&c| c == b'\n').count() + 1
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'-' | b'.')
}

/// Checks one opening tag starting after its name at `i`; returns the index after the tag
/// and pushes a problem for each unbraced attribute value longer than one term.
fn check_tag(b: &[u8], mut i: usize, file: &str, problems: &mut Vec<String>) -> usize {
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return i + 1;
        }
        if b[i] == b'/' && b.get(i + 1) == Some(&b'>') {
            return i + 2;
        }
        if b[i] == b'{' {
            i = skip_group(b, i);
            continue;
        }
        let name_start = i;
        while i < b.len() && is_name_char(b[i]) {
            i += 1;
        }
        if i == name_start {
            // Not an attribute (a stray character): stop scanning this tag.
            return i + 1;
        }
        if b.get(i) != Some(&b'=') {
            continue; // a boolean attribute without a value
        }
        i += 1;
        match b.get(i) {
            Some(b'{') => {
                i = skip_group(b, i);
                continue;
            }
            Some(b'"') => {
                i = skip_string(b, i);
                continue;
            }
            _ => {}
        }
        let value_start = i;
        // A closure: `move |…| body` or `|…| body`; the body must be one term.
        if b[i..].starts_with(b"move") && b.get(i + 4).is_some_and(|c| c.is_ascii_whitespace() || *c == b'|') {
            i += 4;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
        }
        if b.get(i) == Some(&b'|') {
            if b.get(i + 1) == Some(&b'|') {
                i += 2;
            } else {
                i += 1;
                while i < b.len() && b[i] != b'|' {
                    i += 1;
                }
                i += 1;
            }
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
        }
        // One term: everything up to whitespace, `>` or `/>` outside brackets.
        let mut bad = false;
        while i < b.len() {
            match b[i] {
                b'(' | b'[' | b'{' => i = skip_group(b, i),
                b'"' => i = skip_string(b, i),
                b'<' => {
                    bad = true;
                    i += 1;
                }
                c if c.is_ascii_whitespace() => break,
                b'>' => {
                    if b.get(i + 1) == Some(&b'=') {
                        bad = true;
                    }
                    break;
                }
                b'/' if b.get(i + 1) == Some(&b'>') => break,
                _ => i += 1,
            }
        }
        // The tag ends at the first `>` outside brackets; a `<` before it, or that `>` being
        // the start of `>=`, means a comparison was cut by the macro.
        let mut j = i;
        while j < b.len() {
            match b[j] {
                b'(' | b'[' | b'{' => j = skip_group(b, j),
                b'"' => j = skip_string(b, j),
                b'<' => {
                    bad = true;
                    j += 1;
                }
                b'-' | b'=' if b.get(j + 1) == Some(&b'>') => j += 2,
                b'>' => {
                    if b.get(j + 1) == Some(&b'=') {
                        bad = true;
                    }
                    break;
                }
                _ => j += 1,
            }
        }
        if bad {
            let end = (j + 20).min(b.len());
            problems.push(format!(
                "{file}:{}: unbraced attribute value `{}` — write it in braces",
                line_of(b, value_start),
                String::from_utf8_lossy(&b[name_start..end]).replace('\n', " ")
            ));
        }
    }
}

/// Scans the body of one `view!` block (between its braces) for opening tags at brace depth 0.
fn check_view(b: &[u8], start: usize, end: usize, file: &str, problems: &mut Vec<String>) {
    let mut i = start;
    while i < end {
        match b[i] {
            b'{' => i = skip_group(b, i),
            b'"' => i = skip_string(b, i),
            b'<' if b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) => {
                let mut k = i + 1;
                while k < end && is_name_char(b[k]) {
                    k += 1;
                }
                i = check_tag(b, k, file, problems);
            }
            _ => i += 1,
        }
    }
}

fn problems_in(text: &str, file: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut problems = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find("view!") {
        let at = from + pos + "view!".len();
        let open = match text[at..].find(|c: char| !c.is_whitespace()) {
            Some(o) if b[at + o] == b'{' => at + o,
            _ => {
                from = at;
                continue;
            }
        };
        let close = skip_group(b, open);
        check_view(b, open + 1, close.saturating_sub(1), file, &mut problems);
        // Nested `view!` blocks inside braces are found by continuing after this one's head.
        from = open + 1;
    }
    problems
}

#[test]
fn view_attributes_have_no_unbraced_expressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 10, "expected the app's sources under {}", root.display());
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read source");
        problems.extend(problems_in(&text, &f.display().to_string()));
    }
    assert!(problems.is_empty(), "unbraced attribute expressions in view!:\n{}", problems.join("\n"));
}

/// The scanner itself: it must catch the defect's shape and leave ordinary attributes alone.
#[test]
fn view_attribute_scanner_catches_the_drill_down_pager_bug() {
    let bad = r#"view! { <button class="ghost" disabled=p + 1 >= pages on:click=move |_| x.update(|x| *x += 1)>{t.next}</button> }"#;
    assert_eq!(problems_in(bad, "bad.rs").len(), 1);
    let bad_lt = r#"view! { <button disabled=n < 2 on:click=f>"x"</button> }"#;
    assert_eq!(problems_in(bad_lt, "bad.rs").len(), 1);
    let bad_closure = r#"view! { <input prop:checked=move || a >= b /> }"#;
    assert_eq!(problems_in(bad_closure, "bad.rs").len(), 1);
    let good = r#"view! {
        <div class="a" data-testid="x" disabled={p + 1 >= pages} on:click=move |_| drill_page.update(|x| *x += 1)
             prop:value=move || save_name.get() when=move || a.get() != Some(true) href=Route::Customer(c.id.clone()).href() hidden>
            {move || view! { <span class:on=flag>{a < b}</span> }}
            <Comp page=page built=built />
        </div> }"#;
    assert_eq!(problems_in(good, "good.rs"), Vec::<String>::new());
}
