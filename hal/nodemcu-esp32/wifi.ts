/** dev-esp32's wifi module: station mode, the network given (auto: joined and rejoined), not saved, then the Wi-Fi started. */
export function joinWifi(ssid: string, password: string): void {
  wifi.mode(wifi.STATION, false);
  wifi.sta.config({ ssid: ssid, pwd: password, auto: true }, false);
  wifi.start();
}
