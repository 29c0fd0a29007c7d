//! One component per file; each reads the shared [`super::context::AppContext`].

pub mod abc;
pub mod chart_card;
pub mod comments;
pub mod cross_sell;
pub mod customer_list;
pub mod customer_picker;
pub mod flow;
pub mod group_table;
pub mod header;
pub mod kpi_trend;
pub mod mapping;
pub mod matrix;
pub mod more;
pub mod nps_trend;
pub mod preview;
pub mod progress;
pub mod pyramid_chart;
pub mod reading;
pub mod rejected;
pub mod rf_heatmap;
pub mod rules;
pub mod segment_bars;
pub mod statuses;
pub mod summary;
pub mod tabs;
pub mod upload;
