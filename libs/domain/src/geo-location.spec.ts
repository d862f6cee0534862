import { formatLocation, locationProblem, parseLocation } from './geo-location';

describe('locationProblem', () => {
  it.each([
    [45.92, 6.87],
    [-90, -180],
    [90, 180],
    [0, 0],
  ])('accepts %p, %p', (lat, lon) => {
    expect(locationProblem(lat, lon)).toBeUndefined();
  });

  it.each([
    [90.0001, 0, 'latitude (lat) must be a number of degrees in [-90, 90], got 90.0001'],
    [-91, 0, 'latitude (lat) must be a number of degrees in [-90, 90], got -91'],
    [Number.NaN, 0, 'latitude (lat) must be a number of degrees in [-90, 90], got NaN'],
    [0, 180.5, 'longitude (lon) must be a number of degrees in [-180, 180], got 180.5'],
    [0, Number.POSITIVE_INFINITY, 'longitude (lon) must be a number of degrees in [-180, 180], got Infinity'],
    [
      100,
      -200,
      'latitude (lat) must be a number of degrees in [-90, 90], got 100; ' +
        'longitude (lon) must be a number of degrees in [-180, 180], got -200',
    ],
  ])('refuses %p, %p, naming the field', (lat, lon, message) => {
    expect(locationProblem(lat, lon)).toBe(message);
  });

  it('refuses a value that is not a number at run time (JSON input)', () => {
    expect(locationProblem('45' as unknown as number, 6)).toMatch(/^latitude \(lat\)/);
  });
});

describe('parseLocation', () => {
  it.each([
    ['45.92,6.87', { lat: 45.92, lon: 6.87 }],
    [' 45.92 , 6.87 ', { lat: 45.92, lon: 6.87 }],
    ['-21.1,+55.5', { lat: -21.1, lon: 55.5 }],
    ['0,.5', { lat: 0, lon: 0.5 }],
  ])('reads %p', (text, location) => {
    expect(parseLocation(text)).toEqual({ location });
  });

  it.each([
    ['45.92', "location '45.92' must be '<lat>,<lon>' in decimal degrees, e.g. 45.92,6.87"],
    ['45.92;6.87', "location '45.92;6.87' must be '<lat>,<lon>' in decimal degrees, e.g. 45.92,6.87"],
    ['a,b', "location 'a,b' must be '<lat>,<lon>' in decimal degrees, e.g. 45.92,6.87"],
    ['1e1,2', "location '1e1,2' must be '<lat>,<lon>' in decimal degrees, e.g. 45.92,6.87"],
    ['45,6,7', "location '45,6,7' must be '<lat>,<lon>' in decimal degrees, e.g. 45.92,6.87"],
    ['95,6.87', "location '95,6.87': latitude (lat) must be a number of degrees in [-90, 90], got 95"],
    ['45,190', "location '45,190': longitude (lon) must be a number of degrees in [-180, 180], got 190"],
  ])('refuses %p', (text, problem) => {
    expect(parseLocation(text)).toEqual({ problem });
  });

  it('reads back what formatLocation writes', () => {
    const location = { lat: 45.923456, lon: -6.000001 };
    expect(parseLocation(formatLocation(location))).toEqual({ location });
  });
});
