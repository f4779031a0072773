// Dashboard charts (Apache ECharts, served from static/vendor). The numbers come from the
// page's JSON data block and are also shown in accessible tables under each chart.
(function () {
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var red = "#b71c1c", green = "#1b7f3b", blue = "#3659a8";

  var trend = document.getElementById("trend-chart");
  if (trend) {
    echarts.init(trend).setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 36, right: 12, top: 32, bottom: 24 },
      xAxis: { type: "category", data: data.trends.weeks },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.labels.visits, type: "bar", data: data.trends.visits, itemStyle: { color: green } },
        { name: data.labels.received, type: "line", data: data.trends.received, itemStyle: { color: red } },
        { name: data.labels.closed, type: "line", data: data.trends.closed, itemStyle: { color: blue } }
      ]
    });
  }
  var rates = document.getElementById("rates-chart");
  if (rates && data.months) {
    echarts.init(rates).setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
      legend: { top: 0 },
      grid: { left: 36, right: 12, top: 32, bottom: 24 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [
        { name: data.labels.composite, type: "line", data: data.composite, connectNulls: true, itemStyle: { color: red } },
        { name: data.labels.satisfaction, type: "line", data: data.satisfaction, connectNulls: true, itemStyle: { color: green } }
      ]
    });
  }
  var categories = document.getElementById("category-chart");
  if (categories && data.categories && data.categories.length) {
    echarts.init(categories).setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"],
        data: data.categories.map(function (c) { return { name: c[0], value: c[1] }; }) }]
    });
  }
  window.addEventListener("resize", function () {
    [trend, rates, categories].forEach(function (el) {
      var chart = el && echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
})();
