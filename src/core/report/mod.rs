//! What the pages and the command line show: the segmentation that gathers every metric of a
//! dataset under one set of rules, the typed rules form, chart geometry and compact figures.

pub mod actions;
pub mod attitude;
pub mod charts;
pub mod clv_groups;
pub mod compact;
pub mod follow_up;
pub mod nps_page;
pub mod playbook;
pub mod profile;
pub mod rules;
pub mod segments;
