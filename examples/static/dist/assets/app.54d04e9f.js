// A tiny single-page app: it renders the route from location.pathname,
// so /, /about and /items/42 are all served index.html by the handler.
const routes = {
  "/": () => "<h1>Home</h1><p>Served by static.Handler in SPA mode.</p>",
  "/about": () => "<h1>About</h1><p>This page exists only in the app's router.</p>",
};

function render() {
  const path = location.pathname;
  const item = path.match(/^\/items\/(\d+)$/);
  const view = routes[path] || (item ? () => `<h1>Item ${item[1]}</h1>` : () => "<h1>Not in the app</h1>");
  document.querySelector("main").innerHTML = view();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-route]");
  if (!link) return;
  event.preventDefault();
  history.pushState(null, "", link.href);
  render();
});
window.addEventListener("popstate", render);
render();
