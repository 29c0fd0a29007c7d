//! The NPS page's state: the summary, and the survey comments the worker sends on their own.

use crate::core::analysis::comments::Comment;
use crate::core::report::nps_page::NpsSummary;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NpsState {
    /// The NPS page, when there are survey answers (in the transactions or a survey file).
    pub summary: Option<Rc<NpsSummary>>,
    /// The survey comments the worker sent last ([`crate::protocol::Response::Comments`]): NPS
    /// summaries come without them and get these.
    pub comments: Rc<Vec<Comment>>,
}

impl NpsState {
    /// Shows `summary` as the worker sent it (without its comments list) with the comments it sent.
    pub fn show(&mut self, summary: Option<Box<NpsSummary>>) {
        self.summary = summary.map(|s| {
            let mut s = *s;
            s.comments.shown = self.comments.to_vec();
            Rc::new(s)
        });
    }
}
