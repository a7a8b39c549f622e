// The dashboard's two charts, drawn from the figures the page already shows.
document.addEventListener("DOMContentLoaded", function () {
  var data = JSON.parse(document.getElementById("indicator-charts").textContent);
  var percent = function (v) { return v === null ? null : Math.round(v * 10000) / 100; };
  var region = echarts.init(document.getElementById("chart-region"));
  region.setOption({
    tooltip: {}, legend: {},
    xAxis: { type: "category", data: data.regions },
    yAxis: [{ type: "value" }, { type: "value", max: 100 }],
    series: [
      { name: data.labels.decided, type: "bar", data: data.region_decided },
      { name: data.labels.on_time, type: "line", yAxisIndex: 1, data: data.region_on_time.map(percent) }
    ]
  });
  var month = echarts.init(document.getElementById("chart-month"));
  month.setOption({
    tooltip: { trigger: "axis" }, legend: {},
    xAxis: { type: "category", data: data.months },
    yAxis: [{ type: "value", max: 100 }, { type: "value" }],
    series: [
      { name: data.labels.on_time, type: "line", data: data.on_time.map(percent) },
      { name: data.labels.used, type: "line", yAxisIndex: 1, data: data.used }
    ]
  });
  window.addEventListener("resize", function () { region.resize(); month.resize(); });
});
