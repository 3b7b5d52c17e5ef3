//! What every validator of a checklist file uses: errors that point at a line of the file, and
//! the forms ids and keys take.

use toml::Spanned;

use crate::error::{Error, Located};

/// Builds validation errors that point at a line of one file.
pub(super) struct Checker<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
}

impl Checker<'_> {
    pub(super) fn fail<T>(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: String,
        hint: &str,
    ) -> Result<T, Error> {
        let (line, column) = crate::error::line_col(self.text, span.start);
        Err(Error::invalid(Located {
            file: self.file.to_string(),
            line: Some((line, column)),
            field: Some(field.to_string()),
            message,
            hint: hint.to_string(),
        }))
    }

    pub(super) fn not_blank(
        &self,
        value: &Spanned<String>,
        field: &str,
        owner: &str,
    ) -> Result<(), Error> {
        if value.get_ref().trim().is_empty() {
            return self.fail(
                value.span(),
                field,
                format!("{owner} has an empty `{field}`"),
                "write the text; every control needs a question, a title and guidance",
            );
        }
        Ok(())
    }
}

/// A required value's key: a lower-case letter, then lower-case letters, digits and `_`.
pub(super) fn key_is_snake_case(key: &str) -> bool {
    key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !key.ends_with('_')
        && !key.contains("__")
}

pub(super) fn id_is_well_formed(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
}
