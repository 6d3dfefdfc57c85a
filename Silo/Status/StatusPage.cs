using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Ticker.Silo.Http;

namespace Ticker.Silo.Status;

/// <summary>
/// The ticker's own live status page at <c>/status</c>, beside the Orleans Dashboard at <c>/dashboard</c> (grains,
/// activations, calls, silos) and linking to it: throughput, latency, flushes, errors, accounts and the option chain
/// with Greeks. One HTML page, one script and one stylesheet embedded in this assembly, which poll the JSON API once a
/// second.
/// </summary>
public static class StatusPage
{
    /// <summary>The path of the page.</summary>
    public const string Path = "/status";

    /// <summary>Prefix of the page's files among this assembly's manifest resources.</summary>
    internal const string ResourcePrefix = "Ticker.Silo.Status.wwwroot.";

    // The page runs only its own script and stylesheet and talks only to this origin; anything else is refused by the
    // browser (and shows up as a console error, which the integration test treats as a failure).
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Maps <c>/status</c>, <c>/status/status.js</c> and <c>/status/status.css</c>, and the JSON the page
    /// needs beyond <see cref="TickerApi"/> (<see cref="CatalogApi"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        MapAsset(app, Path, Load("index.html", "text/html; charset=utf-8"));
        MapAsset(app, Path + "/status.js", Load("status.js", "text/javascript; charset=utf-8"));
        MapAsset(app, Path + "/status.css", Load("status.css", "text/css; charset=utf-8"));
        app.MapCatalogApi();
        return app;
    }

    /// <summary>Reads one of the page's files from the assembly; throws when the build did not embed it.</summary>
    internal static Asset Load(string fileName, string contentType)
    {
        var name = ResourcePrefix + fileName;
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The status page file '{name}' is not embedded in {typeof(StatusPage).Assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"";
        return new Asset(bytes, contentType, etag);
    }

    private static void MapAsset(IEndpointRouteBuilder app, string path, Asset asset) =>
        app.MapGet(path, context => ServeAsync(context, asset)).ExcludeFromDescription();

    private static Task ServeAsync(HttpContext context, Asset asset)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }

        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Content.Length;
        return context.Response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }

    /// <summary>One embedded file, ready to serve.</summary>
    /// <param name="Content">The bytes.</param>
    /// <param name="ContentType">The media type with charset.</param>
    /// <param name="ETag">A quoted strong validator derived from the content.</param>
    internal sealed record Asset(byte[] Content, string ContentType, string ETag);
}
