/* 领导驾驶舱: draws the charts from the JSON the page embeds (json_script "dashboard-data"). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var T = data.labels;  // every word the charts draw, translated by the page (chart_data["labels"])
  var charts = [];

  var COLORS = {
    submitted: "#6ea8fe", in_approval: "#0d6efd", completed: "#198754", rejected: "#dc3545",
    withdrawn: "#adb5bd", green: "#198754", yellow: "#ffc107", red: "#dc3545", escalated: "#6f42c1",
    satisfied: "#198754", unsatisfied: "#dc3545", unrated: "#adb5bd", open: "#fd7e14", answered: "#20c997",
    used: "#0d6efd", budget: "#ced4da"
  };
  var EMPTY = { type: "text", left: "center", top: "middle", style: { text: T.empty, fill: "#adb5bd", fontSize: 16 } };

  function total(values) { return values.reduce(function (sum, v) { return sum + (v || 0); }, 0); }

  // urlOf(params) → the list behind the bar or slice clicked (the page's links carry the filters)
  function draw(id, option, isEmpty, urlOf) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    if (isEmpty) { option.graphic = [EMPTY]; }
    option.textStyle = { fontFamily: "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" };
    chart.setOption(option);
    if (urlOf) {
      chart.on("click", function (params) {
        var url = urlOf(params);
        if (url) { window.location.href = url; }
      });
    }
    charts.push(chart);
  }

  // On a phone the category names under a bar chart would run into each other: slant them.
  function slant(id) {
    var el = document.getElementById(id);
    return el && el.clientWidth < 500 ? 40 : 0;
  }

  function byName(rows) {
    return function (params) {
      var row = rows.filter(function (r) { return r.name === params.name; })[0];
      return row && row.url;
    };
  }

  function pie(id, rows, unit) {
    draw(id, {
      tooltip: { trigger: "item", formatter: "{b}: {c} " + unit + " ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"], avoidLabelOverlap: true,
        label: { formatter: "{c}" },
        data: rows.filter(function (r) { return r.value > 0; }).map(function (r) {
          return { name: r.name, value: r.value, itemStyle: { color: COLORS[r.key] } };
        })
      }]
    }, total(rows.map(function (r) { return r.value; })) === 0, byName(rows));
  }

  var projects = data.projects_by_category;
  draw("chart-projects", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { bottom: 0 },
    grid: { left: 40, right: 20, top: 20, bottom: 60, containLabel: true },
    xAxis: { type: "category", data: projects.categories,
             axisLabel: { interval: 0, width: 150, overflow: "break", rotate: slant("chart-projects") } },
    yAxis: { type: "value", minInterval: 1, name: T.items },
    series: projects.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "status", barMaxWidth: 60, data: s.data,
               itemStyle: { color: COLORS[s.key] }, emphasis: { focus: "series" } };
    })
  }, total(projects.series.map(function (s) { return total(s.data); })) === 0, function (params) {
    return projects.urls[params.seriesIndex][params.dataIndex];
  });

  pie("chart-stage-levels", data.stage_levels, T.items);

  var groups = data.working_groups;
  draw("chart-working-groups", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { bottom: 0 },
    grid: { left: 140, right: 30, top: 10, bottom: 40 },
    yAxis: { type: "category", data: groups.names, inverse: true },
    xAxis: { type: "value", minInterval: 1, name: T.cases },
    series: [
      { name: T.open, type: "bar", stack: "share", data: groups.open, itemStyle: { color: COLORS.open } },
      { name: T.answered, type: "bar", stack: "share", data: groups.answered, itemStyle: { color: COLORS.answered } }
    ]
  }, total(groups.open) + total(groups.answered) === 0, function (params) {
    return groups.urls[params.seriesIndex === 0 ? "open" : "answered"][params.dataIndex];
  });

  pie("chart-satisfaction", data.satisfaction, T.cases);

  var durations = data.stage_durations;
  draw("chart-stage-durations", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { bottom: 0 },
    grid: { left: 40, right: 20, top: 30, bottom: 60, containLabel: true },
    xAxis: { type: "category", data: durations.map(function (d) { return d.name; }),
             axisLabel: { interval: 0, rotate: slant("chart-stage-durations") } },
    yAxis: { type: "value", name: T.workdays, nameTextStyle: { align: "left" } },
    series: [
      { name: T.used, type: "bar", data: durations.map(function (d) { return d.used; }),
        itemStyle: { color: COLORS.used }, label: { show: true, position: "top" } },
      { name: T.budget, type: "bar", data: durations.map(function (d) { return d.budget; }),
        itemStyle: { color: COLORS.budget } }
    ]
  }, durations.every(function (d) { return !d.n; }), function (params) {
    return durations[params.dataIndex].url;
  });

  var statuses = data.demands_by_status;
  draw("chart-demand-status", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 40, right: 20, top: 20, bottom: 50, containLabel: true },
    xAxis: { type: "category", data: statuses.map(function (s) { return s.name; }),
             axisLabel: { interval: 0, width: 70, overflow: "break", rotate: slant("chart-demand-status") } },
    yAxis: { type: "value", minInterval: 1, name: T.cases },
    series: [{ type: "bar", name: T.demands, barMaxWidth: 48, label: { show: true, position: "top" },
               data: statuses.map(function (s) {
                 return { value: s.value, itemStyle: { color: s.key === "closed" ? COLORS.completed : COLORS.in_approval } };
               }) }]
  }, total(statuses.map(function (s) { return s.value; })) === 0, function (params) {
    return statuses[params.dataIndex].url;
  });

  var SLANTED = ["chart-projects", "chart-stage-durations", "chart-demand-status"];
  window.addEventListener("resize", function () {
    charts.forEach(function (c) {
      var id = c.getDom().id;
      if (SLANTED.indexOf(id) !== -1) { c.setOption({ xAxis: { axisLabel: { rotate: slant(id) } } }); }
      c.resize();
    });
  });
})();
