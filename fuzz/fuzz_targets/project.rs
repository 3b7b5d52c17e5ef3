//! Fuzzes the project file loader: any bytes give a project or an error, never a panic.
#![no_main]

use std::sync::OnceLock;

use ftr_wizard::content::Library;
use libfuzzer_sys::fuzz_target;

fn library() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| Library::embedded().expect("the embedded checklists load"))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(project) = ftr_wizard::store::parse_bytes("fuzz.toml", data, library()) {
        // What loads must save and load back the same.
        let text = ftr_wizard::store::to_text(&project).expect("a loaded project saves");
        let back = ftr_wizard::store::parse("fuzz.toml", &text, library()).expect("reloads");
        assert_eq!(back, project);
    }
});
