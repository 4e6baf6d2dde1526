import Foundation
import GMQProtocol

/// The moderators' report with the shift figures (REPORT_FIGURES): as JSON (`gmq report --json`), as a table, and
/// as a self-contained HTML page with charts (`gmq report --html FILE`) that draws itself from the same JSON.
extension Presentation {
    static func groupName(_ group: ReportGroup) -> String {
        switch group {
        case .total: "total"
        case .category: "category"
        case .gm: "gm"
        }
    }

    /// The report as one JSON object: each row with its figures, the self-help figures, the tickets opened per day
    /// and category, the first responses' distribution and the ratings. `figures` nil: a server without
    /// REPORT_FIGURES.
    public static func reportJSON(
        _ rows: [ReportResult.Row], figures: ReportFiguresResult?, selfHelp: SelfHelpResult, since: Int64, until: Int64
    ) -> [String: Any] {
        var object: [String: Any] = [
            "since": self.time(since), "until": self.time(until), "self_help": self.json(selfHelp),
            "rows": rows.map { row -> [String: Any] in
                var json = self.json(row)
                if let extra = figures?.rows.first(where: { $0.group == row.group && $0.name == row.name }) {
                    json["handle_time_s"] = extra.handleSeconds
                    json["refiled"] = extra.refiled
                    json["first_contact_resolved"] = extra.firstContact
                    json["first_contact_percent"] = row.closed == 0
                        ? NSNull() : (Double(extra.firstContact) * 1000 / Double(row.closed)).rounded() / 10
                }
                return json
            },
        ]
        if let figures {
            object["opened_per_day"] = figures.days.map {
                ["day": String(self.time($0.day).prefix(10)), "category": $0.category, "opened": $0.opened] as [String: Any]
            }
            object["first_responses"] = figures.firstResponses.map {
                ["up_to_s": $0.upTo == UInt32.max ? NSNull() : Int($0.upTo) as Any, "count": $0.count] as [String: Any]
            }
            object["ratings"] = figures.ratings
        }
        return object
    }

    /// Handle time, first-contact resolution and re-filed tickets per row, as a table under the report.
    public static func figures(_ rows: [ReportResult.Row], _ figures: ReportFiguresResult, style: Style = .plain) -> String {
        guard rows.contains(where: { $0.group == .total && $0.opened > 0 }) else { return "" }
        var table = [["", "HANDLE TIME", "FIRST CONTACT", "RE-FILED"]]
        for row in rows {
            guard let extra = figures.rows.first(where: { $0.group == row.group && $0.name == row.name }) else { continue }
            let share = row.closed == 0
                ? "-" : String(format: "%d of %d (%.0f%%)", extra.firstContact, row.closed,
                    Double(extra.firstContact) * 100 / Double(row.closed))
            table.append([
                (row.group == .total ? "" : self.groupName(row.group) + " ") + row.name,
                self.duration(seconds: Int64(clamping: extra.handleSeconds)), share, "\(extra.refiled)",
            ])
        }
        return style.paint("Shift figures (handle time: claimed and working; first contact: closed with no ask and no reopen)", .bold)
            + "\n" + self.align(table)
    }

    /// A self-contained page (no network, no files beside it) that draws the report from `json` in the browser:
    /// tables per group, tickets opened per day and category, the first responses' distribution and the ratings.
    /// Every number carries `data-key` ("group:name:field", "rating:N", "first-response:N", "day:DAY:CATEGORY") so
    /// that a check can read what the browser drew.
    public static func reportPage(_ json: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        // Inside a script element only "</" could end it early.
        let embedded = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
        let title = "GMQueue report \(json["since"] as? String ?? "") – \(json["until"] as? String ?? "")"
        return Self.pageTemplate
            .replacingOccurrences(of: "{{TITLE}}", with: self.htmlEscaped(title))
            .replacingOccurrences(of: "{{DATA}}", with: embedded)
    }

    static func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let pageTemplate = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{{TITLE}}</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
        h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
        table { border-collapse: collapse; margin: .5em 0; }
        th, td { padding: .25em .7em; border-bottom: 1px solid #ddd; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        svg text { font: 11px system-ui, sans-serif; fill: #333; }
        .legend span { display: inline-block; margin-right: 1em; }
        .legend i { display: inline-block; width: .8em; height: .8em; margin-right: .3em; }
        #error { color: #b00; }
        </style>
        </head>
        <body>
        <h1>{{TITLE}}</h1>
        <p id="error"></p>
        <div id="tables"></div>
        <h2>Tickets opened per day</h2><div id="volume"></div>
        <h2>Time to first response</h2><div id="first-responses"></div>
        <h2>Ratings</h2><div id="ratings"></div>
        <script type="application/json" id="report-data">{{DATA}}</script>
        <script>
        "use strict";
        const report = JSON.parse(document.getElementById("report-data").textContent);
        const NS = "http://www.w3.org/2000/svg";
        const palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"];
        function el(name, attributes, text) {
          const node = name.startsWith("svg:") ? document.createElementNS(NS, name.slice(4)) : document.createElement(name);
          for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
          if (text !== undefined) node.textContent = text;
          return node;
        }
        function duration(seconds) {
          if (seconds === null || seconds === undefined) return "-";
          if (seconds < 60) return seconds + " s";
          if (seconds < 3600) return Math.floor(seconds / 60) + " min";
          if (seconds < 86400) return Math.floor(seconds / 3600) + " h " + Math.floor(seconds % 3600 / 60) + " min";
          return Math.floor(seconds / 86400) + " d " + Math.floor(seconds % 86400 / 3600) + " h";
        }
        const columns = [
          ["opened", "Opened", v => v], ["closed", "Closed", v => v],
          ["first_response_median_s", "1st response p50", duration], ["first_response_p90_s", "1st response p90", duration],
          ["close_median_s", "Close p50", duration], ["overdue_percent", "Overdue %", v => v],
          ["reopened", "Reopened", v => v], ["rating_average", "Rating", v => v === null ? "-" : v],
          ["handle_time_s", "Handle time", duration], ["first_contact_resolved", "First contact", v => v],
          ["first_contact_percent", "First contact %", v => v === null || v === undefined ? "-" : v],
          ["refiled", "Re-filed", v => v],
        ];
        function tables() {
          const host = document.getElementById("tables");
          for (const [group, title] of [["total", "All tickets"], ["category", "By category"], ["gm", "By GM"]]) {
            const rows = report.rows.filter(r => r.group === group);
            if (rows.length === 0) continue;
            host.appendChild(el("h2", {}, title));
            const table = el("table", {"data-group": group});
            const head = el("tr");
            head.appendChild(el("th", {}, ""));
            for (const [, label] of columns) head.appendChild(el("th", {}, label));
            table.appendChild(head);
            for (const row of rows) {
              const line = el("tr");
              line.appendChild(el("td", {}, row.name));
              for (const [field, , format] of columns) {
                line.appendChild(el("td", {"data-key": group + ":" + row.name + ":" + field, "data-value": String(row[field])},
                  String(format(row[field]))));
              }
              table.appendChild(line);
            }
            host.appendChild(table);
          }
        }
        function bars(host, items, options) {
          const width = 640, height = 220, left = 40, bottom = 40, top = 16;
          const svg = el("svg:svg", {width, height, viewBox: "0 0 " + width + " " + height, role: "img"});
          const maximum = Math.max(1, ...items.map(i => i.segments.reduce((a, s) => a + s.value, 0)));
          const step = Math.min(90, (width - left) / Math.max(1, items.length));
          items.forEach((item, index) => {
            let y = height - bottom;
            const x = left + index * step + step * 0.15;
            for (const segment of item.segments) {
              const h = (height - bottom - top) * segment.value / maximum;
              y -= h;
              svg.appendChild(el("svg:rect", {x, y, width: step * 0.7, height: h, fill: segment.color,
                "data-key": segment.key, "data-value": segment.value}));
            }
            const total = item.segments.reduce((a, s) => a + s.value, 0);
            svg.appendChild(el("svg:text", {x: x + step * 0.35, y: y - 3, "text-anchor": "middle",
              "data-key": item.key}, String(total)));
            svg.appendChild(el("svg:text", {x: x + step * 0.35, y: height - bottom + 14, "text-anchor": "middle"}, item.label));
          });
          svg.appendChild(el("svg:line", {x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: "#999"}));
          host.appendChild(svg);
          if (options && options.legend) {
            const legend = el("p", {class: "legend"});
            for (const [name, color] of options.legend) {
              const span = el("span");
              span.appendChild(el("i", {style: "background:" + color}));
              span.appendChild(document.createTextNode(name));
              legend.appendChild(span);
            }
            host.appendChild(legend);
          }
        }
        function volume() {
          const days = [...new Set((report.opened_per_day || []).map(d => d.day))].sort();
          const categories = [...new Set((report.opened_per_day || []).map(d => d.category))].sort();
          const color = c => palette[categories.indexOf(c) % palette.length];
          bars(document.getElementById("volume"), days.map(day => ({
            label: day.slice(5), key: "day:" + day,
            segments: report.opened_per_day.filter(d => d.day === day).map(d => ({
              value: d.opened, color: color(d.category), key: "day:" + day + ":" + d.category })),
          })), {legend: categories.map(c => [c, color(c)])});
        }
        function firstResponses() {
          const names = ["≤ 5 min", "≤ 15 min", "≤ 1 h", "≤ 4 h", "≤ 1 day", "longer"];
          bars(document.getElementById("first-responses"), (report.first_responses || []).map((b, i) => ({
            label: names[i] || (b.up_to_s === null ? "longer" : "≤ " + duration(b.up_to_s)), key: "first-response:" + i,
            segments: [{value: b.count, color: palette[0], key: "first-response-bar:" + i}],
          })));
        }
        function ratings() {
          bars(document.getElementById("ratings"), (report.ratings || []).map((count, i) => ({
            label: "★".repeat(i + 1), key: "rating:" + (i + 1),
            segments: [{value: count, color: palette[4], key: "rating-bar:" + (i + 1)}],
          })));
        }
        try { tables(); volume(); firstResponses(); ratings(); document.body.setAttribute("data-drawn", "yes"); }
        catch (error) { document.getElementById("error").textContent = "The report could not be drawn: " + error; }
        </script>
        </body>
        </html>
        """
}
