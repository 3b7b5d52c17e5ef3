//! The export step. The bundle itself is built by the export module once it exists; until
//! then this screen says so and points at what already works.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::tui::app::App;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let ready = app.report.as_ref().is_some_and(|r| r.ready);
    let lines = vec![
        Line::from(Span::styled("Submission bundle", t.title())),
        Line::from(""),
        Line::from(
            "Building the zip bundle and Markdown summary is not available in this version yet.",
        ),
        Line::from(""),
        Line::from(if ready {
            Span::styled(
                "The readiness check passes: the answers are ready to be bundled.",
                t.ok(),
            )
        } else {
            Span::styled(
                "The readiness check still has errors: see the Review step (r).",
                t.error(),
            )
        }),
        Line::from(""),
        Line::from("Everything you entered is already saved in the project file."),
    ];
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(" Export ")
                .border_style(t.focus_border()),
        ),
        area,
    );
}
