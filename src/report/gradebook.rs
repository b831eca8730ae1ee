//! The CSV gradebook: one row per submission (student, exercise, points, max_points, status).

use super::class::ClassReport;
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
            submission.student.as_str(),
            report.exercise.as_str(),
            &report.points.to_string(),
            &report.max_points.to_string(),
            status,
        ]);
    }
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the gradebook is UTF-8")
}
