//! Fuzzes the checklist file loader used by `--content DIR`: an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ftr_wizard::content::Library::parse_checklist_bytes("fuzz.toml", data);
});
