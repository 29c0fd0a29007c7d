//! The segmentation pages' state: the numbers shown, the rules they used, why new rules failed,
//! and the page of a customer list on screen.

use super::Problem;
use crate::core::analysis::cross_sell::CrossSell;
use crate::core::report::actions::{Actions, Winback};
use crate::core::report::segments::{CustomerFilter, CustomerRow, SegmentationParams, SegmentationSummary};
use crate::protocol::Response;
use std::rc::Rc;

/// A page of a drill-down list.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerList {
    pub filter: CustomerFilter,
    pub offset: usize,
    pub total: usize,
    pub rows: Vec<CustomerRow>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SegmentsState {
    pub summary: Option<Rc<SegmentationSummary>>,
    /// The rules the shown segmentation used.
    pub params: SegmentationParams,
    /// Why the last rules asked for could not be applied (the last good results stay on screen).
    pub error: Option<Problem>,
    pub list: Option<Rc<CustomerList>>,
    /// Cross-purchase in sequence as last asked, or why it could not be measured.
    pub cross_sell: Option<Result<Rc<CrossSell>, Problem>>,
    /// The actions under the playbook last applied, with the win-back priorities.
    pub actions: Option<Rc<(Actions, Winback)>>,
    /// The first customers to follow up (with passives or not), and how many there are.
    pub follow_up: Option<Rc<(bool, Vec<crate::core::report::follow_up::FollowUpRow>, usize)>>,
    /// Why the last playbook asked for could not be applied (the last good results stay).
    pub actions_error: Option<Problem>,
    /// The acquisition funnel of the member list loaded, or why there is none.
    pub funnel: Option<Rc<FunnelAnswer>>,
    /// The engagement events file read (its name), or why the last one chosen could not be.
    pub events: Option<Result<String, (String, Problem)>>,
}

/// The worker's answer about the member list.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelAnswer {
    pub file: String,
    pub funnel: Option<crate::core::analysis::funnel::Funnel>,
    pub compare: Option<(String, String, Option<crate::core::analysis::trends::ProportionTest>)>,
    pub error: Option<Problem>,
}

impl SegmentsState {
    /// Takes the worker's answer about the segmentation; whether it was one.
    pub fn answer(&mut self, response: Response) -> bool {
        match response {
            Response::Segmented { summary, params, .. } => {
                self.summary = Some(Rc::new(*summary));
                self.params = params;
                self.error = None;
                self.list = None;
            }
            Response::SegmentFailed { message, code } => self.error = Some(Problem { code, message }),
            Response::Customers { filter, offset, total, rows } => {
                self.list = Some(Rc::new(CustomerList { filter, offset, total, rows }));
            }
            Response::CrossSell { result } => self.cross_sell = Some(Ok(Rc::new(*result))),
            Response::CrossSellFailed { message, code } => self.cross_sell = Some(Err(Problem { code, message })),
            Response::Actions { actions, winback } => {
                self.actions = Some(Rc::new((*actions, *winback)));
                self.actions_error = None;
            }
            Response::ActionsFailed { message, code } => self.actions_error = Some(Problem { code, message }),
            Response::FollowUp { passives, rows, total } => self.follow_up = Some(Rc::new((passives, rows, total))),
            Response::Funnel { file, funnel, compare, error } => {
                let error = error.map(|(code, message)| Problem { code, message });
                self.funnel = Some(Rc::new(FunnelAnswer { file, funnel: funnel.map(|f| *f), compare, error }));
            }
            Response::MembersDropped => self.funnel = None,
            Response::Events { file, error } => {
                self.events = match error {
                    _ if file.is_empty() => None,
                    None => Some(Ok(file)),
                    Some((code, message)) => Some(Err((file, Problem { code, message }))),
                }
            }
            _ => return false,
        }
        true
    }

    /// New transactions: their segmentation is on its way. The rules stay until it comes.
    pub fn new_file(&mut self) {
        self.summary = None;
        self.error = None;
        self.list = None;
        self.cross_sell = None;
        self.actions = None;
        self.actions_error = None;
        self.follow_up = None;
    }
}
