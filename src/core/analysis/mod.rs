//! The metrics and models of customers, computed from a validated dataset: each customer's facts,
//! RFM, ABC/Pareto, lifecycle stages, customer states, cohorts, the loyalty KPIs, NPS and its comments, and
//! the loyalty pyramid, and the funnel from a member list to the first and second order. A metric knows the dataset and other metrics, never a page's aggregate.

pub mod cohorts;
pub mod comments;
pub mod cross_sell;
pub mod customers;
pub mod engagement;
pub mod funnel;
pub mod groups;
pub mod kpis;
pub mod lifecycle;
pub mod nps;
pub mod pareto;
pub mod pyramid;
pub mod rfm;
pub mod stage_chain;
pub mod states;
pub mod trends;
