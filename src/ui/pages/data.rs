//! The data page: how the file was read, the mapping, rejected rows and a preview.

use crate::core::ingest::Report;
use crate::ui::components::{
    mapping::MappingPanel, preview::Preview, reading::ReadingPanel, rejected::RejectedPanel, summary::Summary,
};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DataPageProps {
    pub report: Rc<Report>,
}

#[component]
pub fn DataPage(props: &DataPageProps) -> Html {
    let report = props.report.clone();
    html! {
        <>
            <Summary report={report.clone()} />
            <ReadingPanel report={report.clone()} />
            <MappingPanel report={report.clone()} />
            <RejectedPanel report={report.clone()} />
            <Preview report={report} />
        </>
    }
}
