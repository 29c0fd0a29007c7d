//! One customer's story on screen: the customer asked for, the list they were opened from (so
//! that the user can step to the previous and next customer of it with the keyboard), and the
//! story the worker told or why it could not.

use super::Problem;
use crate::core::report::profile::Profile;
use crate::protocol::Response;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileState {
    /// The ids of the list the story was opened from, in its order; empty while closed.
    pub list: Rc<Vec<String>>,
    /// Where in `list` the customer shown (or asked for) is.
    pub at: usize,
    /// The story of `list[at]`, once it has come.
    pub shown: Option<Rc<Profile>>,
    /// Why `list[at]`'s story could not be told.
    pub error: Option<Problem>,
}

impl ProfileState {
    /// Whether a story is open.
    pub fn is_open(&self) -> bool {
        !self.list.is_empty()
    }

    /// The id asked for.
    pub fn asked(&self) -> Option<&str> {
        self.list.get(self.at).map(String::as_str)
    }

    /// Opens customer `at` of `list` (a story still showing stays until the new one comes, so
    /// that stepping through a list does not flicker).
    pub fn open(&mut self, list: Rc<Vec<String>>, at: usize) {
        self.at = at.min(list.len().saturating_sub(1));
        self.list = list;
        self.error = None;
    }

    pub fn close(&mut self) {
        *self = Self::default();
    }

    /// Takes the worker's answer about a story; whether it was one. An answer about another
    /// customer than the one asked for last (the user stepped on) is dropped.
    pub fn answer(&mut self, response: Response) -> bool {
        match response {
            Response::Profile { profile } => {
                if self.asked() == Some(profile.customer.customer_id.as_str()) {
                    self.shown = Some(Rc::new(*profile));
                    self.error = None;
                }
            }
            Response::ProfileFailed { customer_id, message, code } => {
                if self.asked() == Some(customer_id.as_str()) {
                    self.shown = None;
                    self.error = Some(Problem { code, message });
                }
            }
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_for_a_customer_stepped_past_is_dropped() {
        let mut s = ProfileState::default();
        assert!(!s.is_open());
        s.open(Rc::new(vec!["a".into(), "b".into()]), 0);
        s.open(s.list.clone(), 1);
        let failed = |id: &str| Response::ProfileFailed { customer_id: id.into(), message: "m".into(), code: "c".into() };
        assert!(s.answer(failed("a")));
        assert!(s.error.is_none());
        assert!(s.answer(failed("b")));
        assert_eq!(s.error.as_ref().map(|p| p.code.as_str()), Some("c"));
        s.open(s.list.clone(), 9);
        assert_eq!(s.asked(), Some("b"));
        s.close();
        assert!(!s.is_open() && s.error.is_none());
    }
}
