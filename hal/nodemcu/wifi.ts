/** The ESP8266's wifi module: station mode, the network given, joined now and after every drop; not saved to flash (the device record is the one copy). */
export function joinWifi(ssid: string, password: string): void {
  wifi.setmode(wifi.STATION);
  wifi.sta.config({ ssid: ssid, pwd: password, auto: true, save: false });
}
