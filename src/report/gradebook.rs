//! The CSV gradebook: one row per submission (student, exercise, points, max_points, status).
//! Names are neutralised so that no cell is a live spreadsheet formula.

use super::class::ClassReport;
use super::escape::csv_cell;
use super::model::Status;

pub fn render(class: &ClassReport) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["student", "exercise", "points", "max_points", "status"]);
    for submission in &class.submissions {
        let report = &submission.report;
        let status = match report.status {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
        };
        let _ = writer.write_record([
            csv_cell(&submission.student).as_ref(),
            csv_cell(&report.exercise).as_ref(),
            report.points.to_string().as_str(),
            report.max_points.to_string().as_str(),
            status,
        ]);
    }
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the gradebook is UTF-8")
}
