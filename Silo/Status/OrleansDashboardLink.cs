using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ticker.Silo.Status;

/// <summary>
/// Puts a link to the ticker's status page on the Orleans Dashboard's page, so each page links to the other: the
/// dashboard's <c>index.html</c> (Orleans' own asset) gets a small fixed link before <c>&lt;/body&gt;</c>.
/// </summary>
public static class OrleansDashboardLink
{
    private const string Link =
        "<a id=\"ticker-status-link\" href=\"" + StatusPage.Path + "\" style=\"position:fixed;right:12px;bottom:10px;z-index:1000;" +
        "padding:4px 10px;border-radius:4px;background:#6c2c91;color:#fff;font:13px sans-serif;text-decoration:none\">Ticker status</a>";

    /// <summary>Adds the middleware for the dashboard mapped at <paramref name="dashboardPath"/> (e.g. <c>/dashboard</c>).</summary>
    public static IApplicationBuilder UseOrleansDashboardLink(this IApplicationBuilder app, string dashboardPath)
    {
        var page = dashboardPath.TrimEnd('/') + "/";
        var index = page + "index.html";
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value;
            if (!HttpMethods.IsGet(context.Request.Method) || (path != page && path != index))
            {
                await next(context);
                return;
            }

            // Ask for the page uncompressed (it is 2 KB), so it can be edited as text.
            context.Request.Headers.AcceptEncoding = default;
            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            if (context.Response.Headers.ContentEncoding.Count > 0)
            {
                buffer.Position = 0;
                await buffer.CopyToAsync(original, context.RequestAborted);
                return;
            }

            var html = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var at = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
            var body = at < 0 ? html : html.Insert(at, Link);
            var bytes = Encoding.UTF8.GetBytes(body);

            // The page changed, so Orleans' length and validator no longer describe it.
            context.Response.ContentLength = bytes.Length;
            context.Response.Headers.ETag = default;
            await original.WriteAsync(bytes, context.RequestAborted);
        });
    }
}
