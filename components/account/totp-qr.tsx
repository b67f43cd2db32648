import QRCode from "qrcode";

/** The otpauth:// URI as a QR code, drawn here on the server as SVG (no image service sees the secret). */
export async function TotpQrCode({ uri }: { uri: string }) {
  const svg = await QRCode.toString(uri, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
  const alt = "QR code to scan with your authenticator app";
  // A data: URL made here: next/image would add nothing.
  // eslint-disable-next-line @next/next/no-img-element
  const image = <img src={src} alt={alt} width={176} height={176} className="rounded-md border border-slate-200 bg-white" />;
  return image;
}
