//! The second files of a session, beside the transactions: an engagement events file (joined to
//! the segmentation) and a member or lead list (its acquisition funnel and activation lists).

use super::{Out, Refusal, Session};
use crate::core::ingest::{ingest, IngestOptions};
use crate::protocol::Response;

impl<F> Session<F> {
    /// Reads the events file `bytes` (file `name`) and segments again with it, or says why it
    /// cannot be read (the events held before stay then).
    pub fn events_read(&mut self, name: String, bytes: &[u8], out: Out) {
        match crate::api::read_events(bytes, &name) {
            Ok(ingested) => {
                self.events = Some((name.clone(), ingested));
                self.send(Response::Events { file: name, error: None }, out);
                self.refresh(out);
            }
            Err(e) => self.send(Response::Events { file: name, error: Some((e.code, e.message)) }, out),
        }
    }

    /// Reads the member list `bytes` (file `name`) and sends its funnel, or why it cannot be read.
    pub fn members_read(&mut self, name: String, bytes: &[u8], out: Out) {
        match ingest(bytes, &name, &IngestOptions::default(), &mut |_, _| {}) {
            Ok(ingested) => {
                self.members = Some((name, ingested));
                self.compare = None;
                self.send_funnel(out);
            }
            Err(e) => {
                let error = Some((e.code().to_string(), e.to_string()));
                self.send(Response::Funnel { file: name, funnel: None, compare: None, error }, out);
            }
        }
    }

    /// The facts the funnel counts orders by: the segmentation's, or (a file the segmentation
    /// refuses, such as one without amounts) computed under the rules in use.
    pub(super) fn funnel_facts(
        &self,
    ) -> Result<std::borrow::Cow<'_, crate::core::analysis::customers::Facts>, crate::api::ApiError> {
        if let Some(seg) = &self.segmentation {
            return Ok(std::borrow::Cow::Borrowed(&seg.facts));
        }
        let ds = &self
            .transactions
            .ingested
            .as_ref()
            .ok_or_else(|| crate::api::ApiError::new(Refusal::NoData.code(), Refusal::NoData))?
            .dataset;
        let facts = crate::core::analysis::customers::facts(ds, self.params.as_of)
            .map_err(|e| crate::api::ApiError::from(crate::core::report::segments::SegmentError::from(e)))?;
        Ok(std::borrow::Cow::Owned(facts))
    }

    /// Sends the funnel of the member list held, when there is one.
    pub(super) fn send_funnel(&mut self, out: Out) {
        let Some((file, members)) = &self.members else { return };
        let file = file.clone();
        let answer = match (members.dataset.day.is_some(), self.transactions.ingested.as_ref(), self.funnel_facts()) {
            (false, ..) => {
                Err(("no_dates".to_string(), "the member list has no date column: map the registration date".to_string()))
            }
            (true, Some(tx), Ok(facts)) => {
                // Once the CLV models have run: the predicted value per lead.
                let clv = self.clv.as_ref().map(|r| crate::core::clv::by_code(r, &tx.dataset.customers));
                let period = self.params.states.period;
                let f = crate::core::analysis::funnel::funnel(&members.dataset, &tx.dataset, &facts, period, clv.as_deref());
                let compare = self.compare.clone().map(|(a, b)| {
                    let test = crate::core::analysis::funnel::compare(&f, &a, &b);
                    (a, b, test)
                });
                Ok((Box::new(f), compare))
            }
            (true, _, Err(e)) => Err((e.code, e.message)),
            (true, None, Ok(_)) => Err((Refusal::NoData.code().to_string(), Refusal::NoData.to_string())),
        };
        let response = match answer {
            Ok((funnel, compare)) => Response::Funnel { file, funnel: Some(funnel), compare, error: None },
            Err(error) => Response::Funnel { file, funnel: None, compare: None, error: Some(error) },
        };
        self.send(response, out);
    }

    /// The leads who never bought (or bought once) as a file.
    pub(super) fn export_funnel_list(
        &self,
        once: bool,
        format: crate::core::export::ExportFormat,
    ) -> Result<Vec<u8>, crate::api::ApiError> {
        use crate::core::export::{encode, member_csv, member_xlsx, ExportEncoding, ExportFormat};
        let (Some((_, members)), Some(tx)) = (&self.members, self.transactions.ingested.as_ref()) else {
            return Err(crate::api::ApiError::new(Refusal::NoData.code(), Refusal::NoData));
        };
        let facts = self.funnel_facts()?;
        let rows = crate::core::analysis::funnel::member_rows(&members.dataset, &tx.dataset, &facts, usize::from(once));
        match format {
            ExportFormat::CsvUtf8 => Ok(encode(&member_csv(&rows), ExportEncoding::Utf8Bom).0),
            ExportFormat::CsvGbk => Ok(encode(&member_csv(&rows), ExportEncoding::Gbk).0),
            ExportFormat::Xlsx => member_xlsx(&rows).map_err(|e| crate::api::ApiError::new("export_failed", e)),
        }
    }
}
