/* 领导驾驶舱 sections: stacked bar charts whose bars open the list behind them. Each chart's data
   is embedded with json_script as "chart-data-<key>" beside a <div id="chart-<key>">. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById("chart-data-" + el.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      textStyle: { fontFamily: "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 56, containLabel: true },
      xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, width: 110, overflow: "break" } },
      yAxis: { type: "value", minInterval: 1 },
      series: spec.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "all", barMaxWidth: 56, data: s.values,
                 itemStyle: { color: s.color }, cursor: "pointer" };
      })
    });
    chart.on("click", function (params) {
      var url = spec.series[params.seriesIndex].urls[params.dataIndex];
      if (url) { window.location.href = url; }
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
