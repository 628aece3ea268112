import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { Site } from "../components/layout.tsx";

/**
 * Mail clients drop <style> and external CSS, and many lay out only tables well: every style is
 * inline, the layout is nested tables 600 pixels wide at most, and there is no script.
 */
export const mailStyles = {
  font: "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;",
  heading: "margin:0 0 4px;font-size:22px;line-height:1.3;color:#111111;",
  muted: "margin:0;font-size:13px;line-height:1.5;color:#666666;",
  text: "margin:0 0 8px;font-size:14px;line-height:1.55;color:#333333;",
  link: "color:#1d4ed8;text-decoration:underline;",
  button:
    "display:inline-block;padding:10px 18px;border-radius:6px;background:#1d4ed8;color:#ffffff;font-weight:600;text-decoration:none;",
};

/** The frame of every mail: the site's name on top, the content, a footer saying why the mail came. */
export function MailFrame({
  site,
  title,
  children,
  footer,
}: {
  site: Site;
  title: string;
  children: Child;
  footer: Child;
}) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light" />
          <title>{title}</title>
        </head>
        <body style="margin:0;padding:0;background:#f4f4f2;">
          <table
            role="presentation"
            width="100%"
            cellpadding="0"
            cellspacing="0"
            border={0}
            style="background:#f4f4f2;"
          >
            <tr>
              <td align="center" style="padding:24px 12px;">
                <table
                  role="presentation"
                  width="600"
                  cellpadding="0"
                  cellspacing="0"
                  border={0}
                  style={`width:100%;max-width:600px;background:#ffffff;border-radius:8px;${mailStyles.font}`}
                >
                  <tr>
                    <td style="padding:20px 24px 0;">
                      <a href={site.baseUrl} style="font-size:15px;font-weight:700;color:#111111;text-decoration:none;">
                        {site.name}
                      </a>
                    </td>
                  </tr>
                  {children}
                  <tr>
                    <td style="padding:16px 24px 24px;border-top:1px solid #e5e5e5;font-size:12px;line-height:1.5;color:#777777;">
                      {footer}
                    </td>
                  </tr>
                </table>
              </td>
            </tr>
          </table>
        </body>
      </html>
    </>
  );
}
