// The page: asks the app's API for a message and talks to its WebSocket route, both on Vite's port.
const message = document.querySelector<HTMLOutputElement>("#message")!;
const socketState = document.querySelector<HTMLOutputElement>("#socket")!;

async function refresh(): Promise<void> {
  const response = await fetch("/api/hello");
  const body = (await response.json()) as { message: string };
  message.value = body.message;
}

document.querySelector("#refresh")!.addEventListener("click", () => void refresh());
void refresh();

const socket = new WebSocket(new URL("/api/ws", location.href.replace(/^http/, "ws")));
socket.addEventListener("open", () => socket.send("ping"));
socket.addEventListener("message", (event) => (socketState.value = String(event.data)));
socket.addEventListener("close", () => (socketState.value = "closed"));
