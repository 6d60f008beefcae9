export function Routing() {
  return <h1>Routing</h1>;
}
